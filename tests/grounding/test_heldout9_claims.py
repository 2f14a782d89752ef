"""Ninth held-out set for the ``claim`` kind and plain-word ``task`` claims, written before
the cue lists were read: three cases in domains the bundled fixtures do not cover (speech
denoising, handwritten-card OCR, video frame interpolation), each with planted unsupported
claims of varied shapes (mechanism, training data, results, comparisons, reputation,
robustness, speed words without figures, promises, hidden capabilities in plain words) and
sound sentences (the summary in paraphrase, hedges, gap statements, the answer's own
workflow, the user's question).

A sentence is caught when ``check`` gives it a ``claim`` or ``task`` violation. The floors
below are the scores on the code the set was scored with; they may only rise.
"""

from __future__ import annotations

from cnaps_llm.models import Case, Source

from . import planted_sets

AUDIO = Case(
    id="heldout9-audio",
    question="I recorded an interview in a café on my phone and there's a lot of clatter and an espresso "
             "machine hissing in the background. Which of these can clean it up so the voices are clear?",
    sources=[
        Source(id="R1", role="recommended", name="Denoise-DeepFilterNet-Speech48k",
               github_url="https://github.com/Rikorose/DeepFilterNet",
               summary="DeepFilterNet enhances full-band (48 kHz) speech by estimating a complex filter in the "
                       "frequency domain; it runs in real time on a laptop CPU."),
        Source(id="R2", role="recommended", name="Denoise-HushNet-Audio"),
        Source(id="R3", role="recommended", name="Separation-VoxSplit-2spk"),
    ],
)

OCR = Case(
    id="heldout9-ocr",
    question="I have a box of handwritten recipe cards from my grandmother, some of them stained with grease. "
             "I want to digitise them into text I can search. What should I use?",
    sources=[
        Source(id="R1", role="recommended", name="OCR-TrOCR-Handwritten", paper_url="https://arxiv.org/abs/2109.10282",
               summary="TrOCR is a transformer-based OCR model with an image encoder and a text decoder, pre-trained "
                       "on printed and handwritten text lines and fine-tuned on the IAM handwriting dataset."),
        Source(id="R2", role="recommended", name="DocEnhance-StainAway-v2"),
        Source(id="R3", role="recommended", name="Layout-PageSeg-Lite",
               summary="PageSeg-Lite detects text regions, tables and figures on document pages."),
    ],
)

VIDEO = Case(
    id="heldout9-video",
    question="I shot a skateboarding clip at 30 fps on my phone and want smooth slow motion. Can these models help?",
    sources=[
        Source(id="R1", role="recommended", name="VFI-RIFE-v4", paper_url="https://arxiv.org/abs/2011.06294",
               summary="RIFE estimates intermediate optical flow directly with a network called IFNet and synthesises "
                       "in-between frames; the paper reports it runs faster than previous flow-based methods."),
        Source(id="R2", role="recommended", name="VFI-FlowBlend-X4"),
        Source(id="R3", role="recommended", name="Deblur-VideoSharp-Motion"),
    ],
)

PLANTED: dict[str, list[str]] = {
    "audio": [
        "HushNet was trained on thousands of hours of podcast recordings, so café chatter is familiar territory for it.",
        "VoxSplit uses a transformer encoder with dual-path attention to pull the two speakers apart.",
        "DeepFilterNet consistently beats HushNet on noisy speech benchmarks.",
        "HushNet is widely used by podcasters and is considered an industry standard for voice cleanup.",
        "HushNet guarantees that no speech content is ever lost, even at very low SNR.",
        "VoxSplit never fails on overlapping speech.",
        "HushNet is remarkably lightweight and can run on a phone.",
        "HushNet also transcribes the conversation, so you get a text version of the interview for free.",
        "DeepFilterNet can even tell you who is speaking at each moment.",
        "HushNet handles reverberation and echo just as well as background noise.",
        "VoxSplit achieves state-of-the-art SI-SDR on the standard two-speaker benchmarks.",
        "HushNet is extremely robust to clipping and wind noise.",
        "DeepFilterNet preserves the natural warmth of the voice far better than traditional spectral gating.",
        "HushNet is released under the MIT licence, so you can use it commercially.",
        "VoxSplit will also translate the speakers into English if they talk in another language.",
        "HushNet learns a noise profile from the first second of silence and subtracts it from the rest of the clip.",
    ],
    "ocr": [
        "StainAway was trained on a large collection of scanned historical manuscripts.",
        "TrOCR outperforms commercial engines like Google Vision on cursive handwriting.",
        "PageSeg-Lite is the most popular layout model among archivists.",
        "StainAway never damages the ink strokes, even on heavily stained cards.",
        "TrOCR also spell-checks the text as it reads it, fixing your grandmother's misspellings.",
        "StainAway also straightens the card if it was photographed at an angle.",
        "PageSeg-Lite can also tell which recipe is a dessert and which is a main course.",
        "TrOCR handles faded pencil notes with ease.",
        "StainAway is blazing fast, cleaning a whole box of cards in a few minutes.",
        "PageSeg-Lite relies on a lightweight YOLO backbone.",
        "TrOCR achieves near-perfect accuracy on handwriting.",
        "StainAway is more reliable than PageSeg-Lite on grease marks.",
        "StainAway is licensed under Apache 2.0.",
        "TrOCR understands the context of a recipe, so it can guess illegible ingredient names.",
        "PageSeg-Lite is trusted by major libraries for their digitisation projects.",
        "StainAway works equally well on photos taken with a phone as on flatbed scans.",
    ],
    "video": [
        "FlowBlend was trained on hours of sports footage, so fast skateboard tricks are well within its range.",
        "FlowBlend produces noticeably fewer ghosting artefacts than RIFE.",
        "RIFE is the go-to choice of most video editors and is built into many popular apps.",
        "FlowBlend guarantees smooth motion with no visible warping.",
        "VideoSharp also stabilises the shaky footage while it sharpens it.",
        "RIFE can also colour-grade the clip to give it a cinematic look.",
        "FlowBlend will also remove the background noise from the audio track.",
        "VideoSharp uses a recurrent network that carries information between frames.",
        "FlowBlend handles occlusions, like the board passing behind a leg, without any trouble.",
        "VideoSharp is very efficient and barely adds to the processing time.",
        "FlowBlend reaches the best PSNR on the Vimeo-90K benchmark.",
        "RIFE never produces artefacts on fast motion.",
        "VideoSharp is available under a non-commercial licence only.",
        "FlowBlend is known for its excellent temporal consistency.",
        "VideoSharp works well even on footage shot at night.",
        "FlowBlend estimates depth to decide which object is in front.",
    ],
}

SOUND: dict[str, list[str]] = {
    "audio": [
        "DeepFilterNet estimates a complex filter in the frequency domain to enhance speech, which suits a café recording.",
        "According to its summary, DeepFilterNet runs in real time on a laptop CPU.",
        "HushNet's name suggests a denoiser, but the prompt gives no details on how it was trained.",
        "None of these models can remove the espresso hiss completely where it overlaps the voices.",
        "We then run VoxSplit on the cleaned clip to separate the two voices.",
        "You asked which of these can clean up the recording so the voices are clear.",
        "HushNet may work better on steady noise than on sudden clatter; it is worth testing both.",
        "It is unclear whether VoxSplit was trained on café recordings.",
        "First, DeepFilterNet cleans the full-band recording; the output is a 48 kHz WAV file.",
        "If the interviewer and guest talk over each other, VoxSplit is the one meant for two speakers, going by its name.",
        "The prompt does not say which licence HushNet uses, so check its repository before commercial use.",
        "Transcription is not offered by any of the listed models; you would need a separate speech-to-text tool.",
        "We feed the denoised track into VoxSplit and keep the louder of the two output streams.",
        "Listen to a few seconds of the output before processing the whole interview.",
        "DeepFilterNet is the natural first step, since its summary describes exactly this kind of speech enhancement.",
        "HushNet might be a lighter alternative, but its speed is not documented.",
    ],
    "ocr": [
        "TrOCR pairs an image encoder with a text decoder and was fine-tuned on the IAM handwriting set, "
        "so it is a good fit for handwritten cards.",
        "PageSeg-Lite finds the text regions on each card before recognition.",
        "StainAway's summary is missing, so we cannot say how it removes stains.",
        "None of the listed models can search the text; you will need a simple database or a notes app for that.",
        "We then run TrOCR on each text region that PageSeg-Lite found.",
        "You asked what to use to digitise grease-stained recipe cards.",
        "StainAway may help with the grease marks, judging by its name, but test it on one card first.",
        "TrOCR was pre-trained on printed and handwritten text lines, so each card is split into lines first.",
        "Output: a plain-text file per card, which you can then search.",
        "It is not clear whether StainAway keeps the ink colour intact.",
        "The cleaned card is passed to PageSeg-Lite, and each detected region is cropped.",
        "Handwriting recognition can be imperfect, so plan to proofread the output.",
        "TrOCR was pre-trained on printed and handwritten text lines, according to its paper.",
        "If a card has a table of ingredients, PageSeg-Lite can mark it as a table region.",
        "The prompt gives no licence for any of the three models.",
        "StainAway would be the first step in our pipeline, cleaning each scan before recognition.",
    ],
    "video": [
        "RIFE estimates intermediate flow with IFNet and synthesises the in-between frames.",
        "Its paper reports that RIFE is faster than earlier flow-based methods.",
        "FlowBlend's name suggests 4x interpolation, but the prompt gives no details about it.",
        "None of these models can add real detail that the camera never captured.",
        "We then run RIFE on the sharpened clip to go from 30 to 120 fps.",
        "You asked whether these models can help with smooth slow motion.",
        "VideoSharp may reduce the motion blur on each frame, which tends to help interpolation.",
        "It is not known how FlowBlend deals with occlusions.",
        "The sharpened frames are passed to FlowBlend, and the output is re-encoded as an MP4.",
        "Interpolation can produce warping around fast-moving limbs, so check the result frame by frame.",
        "The prompt does not give a licence for VideoSharp.",
        "RIFE is the only one of the three with a summary, so it is the safest first choice.",
        "Stabilisation is not covered by any listed model; use your editor's stabiliser first.",
        "First we sharpen each frame with VideoSharp, then RIFE fills in the frames between them.",
        "FlowBlend could be worth a try as a second option, although its quality is undocumented.",
        "RIFE synthesises in-between frames, which is exactly what slow motion needs.",
    ],
}

CASES = {"audio": AUDIO, "ocr": OCR, "video": VIDEO}

# First scored on main eafdcb9 (before any fix): caught 40 of 48, sound flagged 3 of 48;
# after the fixes of branch claims9: caught 48 of 48, sound flagged 0 of 48.
# The floor and ceiling follow the scores as fixes land: they may only rise (caught) or fall (flagged).
CAUGHT_FLOOR = 48
FLAGGED_CEILING = 0


def test_the_set_is_big_enough() -> None:
    assert all(len(PLANTED[k]) >= 15 and len(SOUND[k]) >= 15 for k in CASES)


def test_score_holds() -> None:
    planted_sets.assert_holds(PLANTED, SOUND, CASES, CAUGHT_FLOOR, FLAGGED_CEILING)


if __name__ == "__main__":
    planted_sets.report(PLANTED, SOUND, CASES)
