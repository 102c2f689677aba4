"""`python -m bot.healthcheck`: exit 0 when the running bot answers GET /healthz (for Docker's HEALTHCHECK).

It reads the same settings as the bot: the webhook port in webhook mode, METRICS_PORT in polling mode.
"""

from __future__ import annotations

import sys
import urllib.request

from bot.settings import load_settings


def main() -> int:
    settings = load_settings()
    port = settings.webhook_port if settings.webhook_url else settings.metrics_port
    if port is None:
        print("healthcheck: no HTTP port (set WEBHOOK_URL, or METRICS_PORT for polling)", file=sys.stderr)
        return 1
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
