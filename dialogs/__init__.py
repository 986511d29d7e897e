"""Conversations, Adaptive Card builders and the nb/nn/en message catalogs."""
