"""The answer engine: knowledge packs, their store, the question matcher and reply composition."""
