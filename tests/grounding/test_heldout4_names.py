"""Names and figures in shapes a fourth held-out set of answers used, each planted into a
bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…) and caught, each with a
sound twin that must pass."""

from __future__ import annotations

import pytest

from .test_heldout_names import case, plant  # noqa: F401 -- the seed 003 case fixture and the planting helper

# --------------------------------------------------------------------------- checkpoint files in lower case


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("It loads the `mosaic.pth` weights and restyles the frame in one pass", "mosaic.pth"),
        ("The release ships as udnie_v2.ckpt for the same network", "udnie_v2.ckpt"),
        ("Swap in la_muse.safetensors for a softer look", "la_muse.safetensors"),
    ],
)
def test_a_checkpoint_file_in_lower_case_is_a_name(case, text: str, name: str) -> None:
    assert plant(case, text, ("model",)) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Save your run as my_style_finetuned.ckpt when training ends",  # one's own file: generic words
        "Keep net_g_latest.pth and drop epoch10.pth afterwards",  # a generic word with a number
        "Export the graph to model.onnx for deployment",
        "Put the file at weights/mosaic.pth",  # a path's last part: not read alone
    ],
)
def test_own_checkpoints_and_paths_in_lower_case_pass(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []
