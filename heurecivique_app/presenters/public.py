"""What the commune's public site shows (no login): success stories. No reflex."""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.services.public import StoryView


class StoryRow(TypedDict):
    """A published success story."""

    id: str
    title: str
    text: str
    photo: str  # the photo's URL, "" when there is none (or no consent)


def story_row(story: StoryView) -> StoryRow:
    """One story as its card shows it; its photo served by /api/stories/<id>/photo."""
    return StoryRow(id=str(story.id), title=story.title, text=story.text,
                    photo=f"/api/stories/{story.id}/photo" if story.photo_name else "")
