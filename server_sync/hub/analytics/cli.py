"""`kiosk-hub feedback-summary` and `kiosk-hub feedback-alerts`: feedback figures for operators and scripts."""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["register"]


def cmd_feedback_summary(args: argparse.Namespace) -> int:
    from server_sync.hub.analytics.queries import terminal_summary
    from server_sync.hub.cli import open_context

    hub = open_context(args)
    try:
        with hub.sessions() as session:
            summary = terminal_summary(session=session, since=args.since)
    finally:
        hub.close()
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{'terminal':<10} {'name':<30} {'counted':<28} filtered")
    for t in summary["terminals"]:
        counted = " ".join(f"{k}:{v}" for k, v in t["counted"].items())
        filtered = " ".join(f"{k}:{v}" for k, v in t["filtered"].items())
        print(f"{t['terminal_id']:<10} {t['name'][:30]:<30} {counted:<28} {filtered}")
    return 0


def cmd_feedback_alerts(args: argparse.Namespace) -> int:
    from server_sync.hub.analytics import alerts
    from server_sync.hub.cli import open_context

    hub = open_context(args)
    try:
        with hub.sessions.begin() as session:
            alerts.evaluate(session=session)
            found = [alerts.alert_dict(a) for a in alerts.alerts(session=session, open_only=not args.all)]
    finally:
        hub.close()
    if args.json:
        print(json.dumps({"alerts": found}, ensure_ascii=False))
    else:
        for a in found:
            state = f"ack by {a['acknowledged_by']}" if a["acknowledged_at"] else "OPEN"
            print(f"#{a['id']} {a['office_id']}/{a['counter_id']} {a['window_start']}–{a['window_end']} "
                  f"{a['negative']}/{a['responses']} negative  {state}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from server_sync.hub.cli import _since

    p = sub.add_parser("feedback-summary", parents=[common], help="presses per feedback terminal, by score",
                       description="Counted and filtered presses per feedback terminal, keyed by the button's "
                                   "score.")
    p.add_argument("--json", action="store_true",
                   help='print {"terminals": [{"terminal_id", "name", "counted": {...}, "filtered": {...}}]}')
    p.add_argument("--since", type=_since, default=None, help="only presses from this date (YYYY-MM-DD, UTC)")
    p.set_defaults(func=cmd_feedback_summary)

    p = sub.add_parser("feedback-alerts", parents=[common], help="satisfaction alerts (evaluated now)",
                       description="Judge new presses against the alert rules and list the alerts.")
    p.add_argument("--all", action="store_true", help="include acknowledged alerts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feedback_alerts)
