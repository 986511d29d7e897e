"""The Teams-facing layer: the only package that knows aiohttp and botbuilder."""
