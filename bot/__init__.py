"""TalksBot's program: settings, the command line and the Telegram application wiring."""
