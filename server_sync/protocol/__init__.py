"""Wire models shared by terminals and the hub (pydantic v2, one schema_version per message)."""

from server_sync.protocol.common import *  # noqa: F401,F403
from server_sync.protocol.messages import *  # noqa: F401,F403
from server_sync.protocol.catalogue import *  # noqa: F401,F403
from server_sync.protocol.identifiers import *  # noqa: F401,F403
