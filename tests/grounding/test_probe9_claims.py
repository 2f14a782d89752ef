"""A probe for the ``claim`` kind and plain-word ``task`` claims, written after the fixes
of the ninth held-out round and scored once before any fix was taken from it: three new
cases (knee-MRI cartilage segmentation, 3D reconstruction of a statue, pulling vocals out
of a live band recording), planted unsupported claims in new wording and sound sentences
(summaries in paraphrase, hedges, gap statements, the answer's own steps, the user's
question, bullet labels).

The floors are the probe's scores; they may only improve.
"""

from __future__ import annotations

from cnaps_llm.models import Case, Source

from . import planted_sets

MRI = Case(
    id="probe9-mri",
    question="I have knee MRI scans from a study and want to outline the cartilage automatically to measure "
             "its thickness over time. What would work?",
    sources=[
        Source(id="R1", role="recommended", name="Segmentation-nnUNet-KneeMRI", github_url="https://github.com/MIC-DKFZ/nnUNet",
               summary="nnU-Net configures itself automatically to a new segmentation dataset: preprocessing, network "
                       "architecture and training are adapted to the data."),
        Source(id="R2", role="recommended", name="MedSeg-CartiNet-3D"),
        Source(id="R3", role="recommended", name="Registration-AlignMR-v1"),
    ],
)

STATUE = Case(
    id="probe9-statue",
    question="I took about 80 photos walking around a stone statue in a park. I want a 3D model I can 3D-print. "
             "Which models can do this?",
    sources=[
        Source(id="R1", role="recommended", name="3DRecon-NeuS2-Fast", paper_url="https://arxiv.org/abs/2212.05231",
               summary="NeuS2 learns a neural surface (a signed distance function) from multi-view images with known "
                       "camera poses, training in minutes with a multi-resolution hash encoding."),
        Source(id="R2", role="recommended", name="MVS-ColmapNet-Dense"),
        Source(id="R3", role="recommended", name="Mesh-SmoothFill-Repair"),
    ],
)

BAND = Case(
    id="probe9-band",
    question="I have a live recording of my band and the vocals are buried under the drums. Can these models "
             "pull the vocals out so I can remix the song?",
    sources=[
        Source(id="R1", role="recommended", name="Separation-Demucs-v4-HT", github_url="https://github.com/facebookresearch/demucs",
               summary="Hybrid Transformer Demucs separates music into drums, bass, vocals and other stems, combining "
                       "a waveform branch and a spectrogram branch."),
        Source(id="R2", role="recommended", name="Audio-StemCraft-Live"),
        Source(id="R3", role="recommended", name="Denoise-ClickGone-48k"),
    ],
)

PLANTED: dict[str, list[str]] = {
    "mri": [
        "CartiNet was pretrained on the full OAI knee cohort, tens of thousands of scans.",
        "- **Strengths:** CartiNet picks up early cartilage thinning that radiologists routinely miss.",
        "AlignMR lines up follow-up scans with sub-voxel precision and needs no manual landmarks.",
        "nnU-Net is the undisputed winner of nearly every medical segmentation challenge.",
        "CartiNet is FDA-cleared, so it can be used in a clinic.",
        "AlignMR will also flag meniscus tears it finds along the way.",
        "CartiNet additionally reports a Kellgren-Lawrence grade for each knee.",
        "CartiNet is the second option. It comes with a built-in thickness calculator, so you get millimetre "
        "readings straight away.",
        "CartiNet's 3D convolutions capture the cartilage's curvature far better than slice-by-slice models.",
        "nnU-Net almost never leaks into the bone.",
        "AlignMR is a favourite among radiology research groups.",
        "CartiNet copes with motion artefacts from patients who move during the scan.",
        "AlignMR takes a couple of seconds per pair of scans on an ordinary laptop.",
        "CartiNet's masks are consistently smoother than nnU-Net's.",
        "AlignMR is free for commercial and clinical deployment.",
    ],
    "statue": [
        "ColmapNet estimates the camera poses for you, even from blurry phone photos.",
        "SmoothFill automatically makes the mesh watertight and ready for any slicer.",
        "NeuS2 reconstructs reflective and shiny surfaces without trouble.",
        "ColmapNet was built on a dataset of scanned museum artefacts.",
        "SmoothFill is the standard tool that 3D-printing hobbyists reach for.",
        "NeuS2 recovers fine chisel marks down to the smallest detail.",
        "ColmapNet will also texture the mesh with the colours of your photos.",
        "SmoothFill can cut the park bench and the passers-by out of the background automatically.",
        "NeuS2 beats ColmapNet on surface accuracy.",
        "SmoothFill is released under a permissive open-source licence.",
        "ColmapNet handles textureless stone better than classic photogrammetry.",
        "NeuS2 scales effortlessly to thousands of photos.",
        "SmoothFill never introduces holes or self-intersections.",
        "- **Why it fits:** ColmapNet was designed with outdoor scenes in mind.",
        "NeuS2 outputs a print-ready STL file directly.",
    ],
    "band": [
        "StemCraft was trained specifically on live concert recordings with crowd noise.",
        "Demucs is far ahead of every other open separator on vocal quality.",
        "StemCraft can even rebalance the mix and master the track for streaming.",
        "ClickGone also fixes pitch problems in the vocal takes.",
        "StemCraft keeps the reverb tail of the vocals intact.",
        "ClickGone is a go-to among mastering engineers.",
        "Demucs leaves no bleed of the hi-hats in the vocal stem.",
        "StemCraft processes a full concert faster than real time.",
        "ClickGone removes crackle without dulling the cymbals.",
        "StemCraft identifies each instrument and labels the stems automatically.",
        "ClickGone is fine to use in commercial releases.",
        "StemCraft outdoes Demucs when the drums are loud.",
        "Demucs will transcribe the lyrics of the vocal stem as well.",
        "ClickGone works in real time as a plugin in any DAW.",
    ],
}

SOUND: dict[str, list[str]] = {
    "mri": [
        "nnU-Net adapts its preprocessing, architecture and training to your dataset automatically.",
        "CartiNet's description is not provided, so its training data is unknown.",
        "We then compute cartilage thickness from each mask with a short script.",
        "You asked whether the cartilage can be outlined automatically.",
        "AlignMR may help line up follow-up scans, but its accuracy is not documented.",
        "None of the listed models measures thickness by itself; that step is ours.",
        "- **Output:** a binary cartilage mask per slice.",
        "nnU-Net is a reasonable starting point because it configures itself to a new segmentation dataset.",
        "Each follow-up scan is registered to the baseline with AlignMR before segmentation.",
    ],
    "statue": [
        "NeuS2 learns a signed distance function from the photos, provided the camera poses are known.",
        "We run ColmapNet first to get the camera poses, then hand them to NeuS2.",
        "Whether SmoothFill closes holes is not stated in the prompt; check its documentation.",
        "None of these models prints the statue; you will need a slicer such as Cura.",
        "According to its summary, NeuS2 trains in minutes thanks to its hash encoding.",
        "The final mesh is cleaned up in SmoothFill and exported as STL.",
        "You asked which models can turn your 80 photos into a printable model.",
        "SmoothFill, judging by its name, probably repairs meshes.",
    ],
    "band": [
        "Demucs splits the recording into drums, bass, vocals and other stems.",
        "Demucs is the first step. Its hybrid design combines a waveform branch with a spectrogram branch.",
        "StemCraft has no summary, so it is unclear how it compares.",
        "We then pass the vocal stem through ClickGone to remove any clicks.",
        "You asked whether the vocals can be pulled out for a remix.",
        "Separation quality might drop where the drums and vocals overlap heavily.",
        "None of the provided models can re-record a cleaner vocal take.",
        "- **Step 2:** load the four stems into your DAW and rebalance them yourself.",
    ],
}

CASES = {"mri": MRI, "statue": STATUE, "band": BAND}

# First score (branch claims9 at 64b74b6, before any fix was taken from the probe): caught 28 of 44,
# sound flagged 0 of 25; after the fixes taken from it: caught 39 of 44, sound flagged 0 of 25 (the two
# nnU-Net sentences are missed because "nnU-Net" is not read as the name nnUNet).
CAUGHT_FLOOR = 39
FLAGGED_CEILING = 0


def test_the_probe_is_big_enough() -> None:
    assert sum(map(len, PLANTED.values())) >= 20 and sum(map(len, SOUND.values())) >= 20


def test_score_holds() -> None:
    planted_sets.assert_holds(PLANTED, SOUND, CASES, CAUGHT_FLOOR, FLAGGED_CEILING)


if __name__ == "__main__":
    planted_sets.report(PLANTED, SOUND, CASES)
