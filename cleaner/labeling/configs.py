"""The labeling-tool project settings shipped with cleaner: a Label Studio labeling config and doccano labels."""

from __future__ import annotations

from importlib import resources

from .tasks import DOCCANO, LABEL_STUDIO

# What to give the tool: the labeling config (Label Studio: Settings > Labeling Interface > Code), or the label
# definitions (doccano: Labels > Actions > Import Labels), for the six labels of LABELING.md.
CONFIG_FILES = {LABEL_STUDIO: "label_studio.xml", DOCCANO: "doccano_labels.json"}


def labeling_config(tool: str) -> str:
    """The text of the project settings for `tool` ("label-studio" or "doccano")."""
    if tool not in CONFIG_FILES:
        raise ValueError(f"unknown labeling tool {tool!r} (expected one of: {', '.join(CONFIG_FILES)})")
    return resources.files(__package__).joinpath(CONFIG_FILES[tool]).read_text(encoding="utf-8")
