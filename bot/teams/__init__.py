"""The one seam to the Bot Framework SDK (botbuilder 4.17, botframework, msrest).

Everything that imports the SDK outside `dialogs/` is in this package: the
aiohttp endpoint and `CloudAdapter` (`endpoint`), the activity handler that
builds a medvirk `Turn` and calls the router (`handler`, `turn`), fast
activity parsing (`activity_json`), pooled connector clients (`connector`),
dialog-state storage (`state_storage`), proactive sends (`outbound`) and the
wire form of medvirk's messages (`wire`). Features see only `bot.framework.ports` and
`bot.framework.messages`. docs/ARCHITECTURE.md says what a move to the Microsoft 365
Agents SDK replaces, file by file.
"""
