"""Persistence: the database engine, its tables and migrations, and everything the bot keeps there.

Packs are loaded into the database (`loader`) and read back as the engine's in-memory knowledge
(`snapshot`); `store.Store` opens it all ready to answer. The bot's own state lives here too:
subscriptions, the briefing ledger, the unanswered log, the inbox of received updates, chat
languages, counters and follow-up contexts. Nothing outside this package touches the database.
"""
