"""Telegram handlers: thin callbacks that parse an update, ask `knowledge/`, and send the reply."""
