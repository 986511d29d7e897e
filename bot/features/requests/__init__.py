"""The priority team's channel: registration, request cards and their Universal
Actions, notices to requesters, the weekly digest, overview and statistics."""
