"""Round 7 of answers the validator was not tuned on, area tasks: plain-word task claims
whose words no phrase reached — who someone is ("tells you each person's name"), how
someone feels ("says what mood they are in"), an outline of each object ("draws a mask
around each"), licence plates blurred, a story or caption written about the picture,
"any people" removed, "twice as large", "which brand" — beside the twins that must pass:
a gap statement, the question asking it, a box rather than an outline, a model that is
twice as large as another.

Each planted claim has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from ..test_task_claims import planted_flags as flags


@pytest.mark.parametrize(
    ("claim", "text", "twin"),
    [
        ("The restorer also works out who each person is.", "works out who each person is",
         "None of the listed models works out who each person is; that would need a face recognition model."),
        ("Finally it tells you their names.", "tells you their names",
         "Finally it tells you their sizes."),
        ("It can even guess how the children are feeling.", "guess how the children are feeling",
         "It can even guess how the children are posed, which the source does not cover."),
        ("The restorer also predicts the mood of every guest.", "predicts the mood",
         "The restorer also keeps the mood of every guest's portrait intact."),
        ("Then it traces a contour around each chair.", "traces a contour around",
         "Then it keeps a margin around each chair."),
        ("It also isolates each dancer from the background.", "isolates each dancer from the background",
         "It also keeps each dancer's colours."),
        ("Before sharing, it pixelates the number plates.", "pixelates the number plates",
         "Before sharing, it keeps the number plates readable."),
        ("The restorer also composes a poem about the harbour.", "composes a poem about",
         "The restorer also keeps the harbour's colours."),
        ("It will also remove all the people on the pier.", "remove all the people",
         "It will also keep all the people on the pier sharp."),
        ("The restorer then renders the scan twice as big.", "renders the scan twice as big",
         "The restorer then renders the scan at its own size."),
        ("It also eliminates the sun flare in the corner.", "eliminates the sun flare",
         "It also eliminates the extra copies of the file."),
        ("The restorer steadies the shaky footage from the boat.", "steadies the shaky",
         "The restorer cleans the noise out of the footage from the boat."),
        ("It turns the frames into a steady video.", "steady video",
         "It turns the frames into a sharp video, which the source describes."),
        ("It can put the vase on a new tabletop scene.", "put the vase on a new tabletop",
         "It can put the vase photo through a second pass."),
        ("It also spins the teapot around to show its back.", "spins the teapot around to show",
         "It also keeps the teapot's handle sharp."),
        ("The restorer can measure how wide the doorway is.", "measure how wide",
         "The restorer can keep the doorway's edges straight."),
        ("Then it repaints the fence a darker colour.", "repaints the fence a darker colour",
         "Then it repaints the scan in the style of the source's examples."),
        ("It also reads each visitor's name badge.", "reads each visitor's name badge",
         "It also keeps each visitor's name badge sharp."),
        ("The restorer even puts the colour back into the faded print.", "puts the colour back",
         "The restorer even puts the faded print back into shape."),
        ("It can bring the wedding photo to life as a short clip.", "bring the wedding photo to life as a",
         "It can bring the wedding photo's colours to life, which the source describes."),
        ("It also tells you whether the receipt was doctored.", "tells you whether the receipt was doctored",
         "It also tells you whether the receipt was scanned at 300 dpi, as the source does."),
        ("It can even work out where the postcard was photographed.", "work out where the postcard was photographed",
         "It can even work out where the postcard's creases are."),
        ("Afterwards it adds a spoken description for screen readers.", "adds a spoken description",
         "Afterwards it adds a log for screen readers."),
        ("It also turns the selfie into a pixel-art avatar.", "turns the selfie into a pixel-art",
         "It also turns the selfie into a sharper selfie."),
        ("Then it draws a floor plan of the flat.", "draws a floor plan",
         "Then it draws a grid over the flat's photo."),
        ("It also estimates what the armchair would cost.", "estimates what the armchair would cost",
         "It also estimates what the armchair's fabric looked like, as the source does."),
        ("It turns the holiday snaps into a short reel.", "turns the holiday snaps into a short reel",
         "It turns the holiday snaps into a tidy folder."),
        ("It then writes hashtags for the post.", "writes hashtags",
         "It then writes a log for the post."),
        ("The restorer makes the old family portrait bigger.", "makes the old family portrait bigger",
         "The restorer makes the old family portrait cleaner."),
        # the reader between the verb and what it tells: "tells you how old"
        ("It also tells you how old the bride's grandmother is.", "tells you how old",
         "It also tells you how long the restoration takes, as the source does."),
        ("Then it tells you who is in the photo.", "tells you who is in the photo",
         "Then it tells you when the photo is done."),
        ("It also rewrites the card's greeting in Italian.", "rewrites the card's greeting in Italian",
         "It also rewrites the card's file name in lower case."),
        ("It also turns the scan into a few seconds of video.", "turns the scan into a few seconds of video",
         "It also turns the scan into a few clean copies."),
    ],
)
def test_a_plain_word_task_claim_is_caught(claim: str, text: str, twin: str) -> None:
    assert flags(claim) == [text]
    assert flags(twin) == []


@pytest.mark.parametrize(
    ("claim", "question"),
    [
        ("It also tells you who everyone is.", "Can you tell me who everyone is in this group photo?"),
        ("It says what mood each person is in.", "What mood is each person in, judging by their faces?"),
        ("It blurs the licence plates before you post it.", "How can I blur the licence plates before I post my street photo?"),
    ],
)
def test_the_question_asking_it_grounds_the_claim(claim: str, question: str) -> None:
    assert flags(claim)  # on a neutral question it is a claim …
    # … and the question in plain words supports it
    assert flags(claim, question) == [], question


def test_near_misses_are_no_task() -> None:
    assert flags("The restorer's network is twice as large as the baseline's.") == []
    assert flags("It draws a box around each chair.") == []
    # camera shake in a still photo is blur, not a shaky video
    assert flags("It removes motion blur caused by camera shake.") == []
    assert flags("It tells you how large the model is.") == []


@pytest.mark.parametrize(
    ("gap", "claim"),
    [
        # what a task needs, in the present tense, is no claim that a model does it
        ("Transcribing the receipts needs an OCR model, which is not provided.",
         "Transcribing the receipts is what the restorer does next."),
        ("Reading the street signs requires a separate text reader.",
         "Reading the street signs is the restorer's second job."),
        ("Naming each guest calls for a face recognition model.",
         "Naming each guest is done by face recognition in the restorer."),
        # an absence said further on in the clause
        ("Tracking the ball is something no listed model offers.",
         "Tracking the ball is something the restorer offers."),
        ("Counting the visitors requires a detector, and none is listed.",
         "Counting the visitors is done by the restorer, and it is fast."),
    ],
)
def test_a_statement_of_what_a_task_needs_is_a_gap_statement(gap: str, claim: str) -> None:
    assert flags(gap) == [], gap
    assert flags(claim), claim
