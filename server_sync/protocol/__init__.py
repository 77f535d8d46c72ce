"""Wire models shared by terminals and the hub (pydantic v2, one schema_version per message)."""

from server_sync.protocol.catalogue import *
from server_sync.protocol.common import *
from server_sync.protocol.identifiers import *
from server_sync.protocol.messages import *
from server_sync.protocol.presses import *
