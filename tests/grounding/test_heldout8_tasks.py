"""Round 8 of answers the validator was not tuned on, area tasks: plain-word task claims
whose verb or object no phrase reached — removal said as "gets rid of", a frame rate
raised or a clip slowed down, a picture conjured from a prompt, spoken words written
down, a skeleton traced over a body, every cyclist spotted or boxed, how many of a
countable thing, the species of a plant named, text handed back as an editable
spreadsheet, a caption said as "described in a sentence" — beside the twins that must
pass: a gap statement (also one whose absence comes late in the clause), the question
asking it, idioms ("keeps track of", "a track record") and architecture words ("the
upsampling layers").

Each planted claim has a sound twin that differs only in what makes it sound.
"""

from __future__ import annotations

import pytest

from ..test_task_claims import planted_flags as flags


@pytest.mark.parametrize(
    ("claim", "text", "twin"),
    [
        # removal verbs in other words
        ("It also gets rid of the glare on the museum glass.", None,
         "It also gets rid of the yellow cast on the museum scan."),
        ("It gets rid of the wires crossing the sky.", "rid of the wires",
         "It gets rid of the guesswork of choosing settings."),
        # the clip slowed, the frame rate raised
        ("It also slows the footage down for the replay.", "slows the footage down",
         "It also keeps the footage unchanged for the replay."),
        ("It replays the jump in slow motion.", "replays the jump in slow motion",
         "It replays the jump at normal speed."),
        ("Then it doubles the frame rate of the skate video.", "doubles the frame rate",
         "Then it doubles the sharpness of the skate photo, as the source reports."),
        # a new picture from a prompt
        ("It can paint a lighthouse from a short text prompt.", "paint a lighthouse from a short text prompt",
         "It can clean a lighthouse photo from a short exposure."),
        ("It dreams up a brand-new image of a castle.", "dreams up a brand-new image",
         "It dreams of nothing; it cleans the castle photo."),
        # speech written down, spoken commands heard
        ("It also turns the interview recordings into a transcript.", "turns the interview recordings into a transcript",
         "It also turns the interview photos into clean prints."),
        ("It also responds to voice commands while it works.", "responds to voice commands",
         "It also responds to a settings file while it works."),
        ("The lecture is transcribed word for word.", "lecture is transcribed",
         "The lecture slide is cleaned pixel by pixel."),
        # a body's skeleton or joints
        ("It also traces the skeleton of the gymnast on the beam.", "traces the skeleton",
         "It also traces the grain pattern of the gymnast photo."),
        ("It then locates every joint of the climber's body.", "locates every joint",
         "It then locates every stain on the climber's photo."),
        # things spotted, boxed, listed or counted
        ("It also spots every cyclist on the bridge.", "spots every cyclist",
         "It also keeps every cyclist on the bridge crisp."),
        ("It draws boxes around every dog in the park.", "draws boxes around every dog",
         "It draws on a large set of park photos."),
        ("It then enumerates everything in the fridge photo.", "enumerates everything in the",
         "It then enumerates the settings for the fridge photo."),
        ("It also tells you how many cows are in the meadow.", "tells you how many cows",
         "It also tells you how many passes the restoration takes, as the source does."),
        # what kind a thing is, who does what
        ("It also identifies the breed of the puppy.", "identifies the breed of",
         "It also identifies the scratches on the puppy photo, as the source does."),
        ("It can tell the swans from the geese in the lake shot.", None,
         "It can tell the grain from the real texture in the lake shot."),
        ("It also predicts what the goalkeeper is doing.", None,
         "It also predicts what the clean pixel value is."),
        # the text handed back editable
        ("It converts the scanned timetable into a spreadsheet.", "converts the scanned timetable into a spreadsheet",
         "It converts the scanned timetable into a sharper PNG."),
        ("You get the recipe card back as searchable text.", "searchable text",
         "You get the recipe card back as a sharper image."),
        # translation of the user's things
        ("It also translates the street signs for you.", "translates the street signs",
         "It also keeps the street signs readable."),
        # a caption said in other words
        ("Each scan is then described in a single sentence.", "is then described in a single sentence",
         "Each scan is then restored in a single pass."),
        # a distance to the camera, a mood, a painting's look, torn parts
        ("It also estimates the distance from the camera to each hiker.", "estimates the distance from the camera",
         "It also estimates the noise from the camera's sensor, as the source does."),
        ("It tells you whether the bride is happy or sad.", None,
         "It tells you whether the scan is noisy or clean, as the source does."),
        ("It makes the harbour look as if it were painted in oils.", None,
         "It makes the harbour look as it did before the scan faded."),
        ("It fills in the corner that was torn off.", "fills in the corner that was torn off",
         "It fills in the form that was sent with the scan."),
        # a voice copied, lanes found, the best of a burst, a property judged
        ("It can also imitate your aunt's voice for the slideshow.", "imitate your aunt's voice",
         "It can also imitate the look of film grain for the slideshow, as the source describes."),
        ("Then it marks the lane lines on the dashcam frames.", "marks the lane lines",
         "Then it marks the finished scans in the folder."),
        ("It picks the best shot out of the twelve you took.", "picks the best shot out of",
         "It picks up fine detail out of the twelve scans you made."),
        ("It works out how ripe each banana is.", "works out how ripe",
         "It works out how faded each print is, as the source does."),
        # unsafe content, a backdrop replaced, a clip made, a room in 3D
        ("It screens the upload for graphic content first.", "screens the upload for graphic content",
         "It screens the upload for damaged pixels first."),
        ("It replaces the messy kitchen behind her with a beach.", "replaces the messy kitchen behind her with",
         "It keeps the messy kitchen behind her sharp."),
        ("It dreams up a short clip of the harbour at dawn.", "dreams up a short clip of",
         "It brings up a short list of the harbour scans."),
        ("It rebuilds the whole garage in 3D.", "rebuilds the whole garage in 3D",
         "It rebuilds the whole garage photo in one pass."),
        # a fall, a sketch, red eyes, a horizon, make-up, cracks, a watchlist, a cartoon
        ("It raises an alarm when it detects a fall in the hallway.", "detects a fall",
         "It raises an alarm when it detects a corrupt file in the folder."),
        ("It turns a sketch of a dress into a product shot.", "turns a sketch of a dress into",
         "It turns a scan of a dress into a cleaner print."),
        ("It also fixes red-eye in the party photos.", "fixes red-eye",
         "It also fixes the colour cast in the party photos."),
        ("It straightens the tilted horizon in the beach photo.", "straightens the tilted",
         "It straightens nothing; it cleans the beach photo."),
        ("It adds a soft pink lipstick to the portrait.", "adds a soft pink lipstick",
         "It adds a soft clean-up pass to the scan."),
        ("It spots rust on the ship's hull.", "spots rust",
         "It keeps the ship's hull sharp."),
        ("It matches each face against a watchlist.", "matches each face against",
         "It matches each scan against its original print."),
        ("It makes a cartoon version of the family dog.", "makes a cartoon version",
         "It makes a clean version of the family dog photo."),
        ("Passers-by in the square are edited out.", "Passers-by in the square are edited out",
         "The passers-by in the square are kept as they were."),
        ("The handwritten recipe is converted into typed text.", "is converted into typed text",
         "The handwritten recipe is converted into a sharper scan."),
        # an artist named, a height measured, someone put elsewhere, a season changed
        ("It also tells you who painted the portrait on the wall.", "tells you who painted the",
         "It also tells you how long the portrait on the wall took to scan."),
        ("It measures the height of the bookcase in the scan.", "measures the height",
         "It keeps the height of the bookcase in the scan unchanged."),
        ("It puts the couple on a beach at sunset.", "puts the couple on a beach",
         "It puts the couple's photo through a second pass."),
        ("It changes the time of day in the street photo.", "changes the time of day",
         "It changes the file name of the street photo."),
        # music written, lips read, vocals split, a finding in a scan
        ("It also writes a jingle for the shop's advert.", "writes a jingle",
         "It also writes a log for the shop's advert."),
        ("It reads her lips in the muted clip.", "reads her lips",
         "It reads the scan in one pass."),
        ("It isolates the vocals from the recording.", "isolates the vocals",
         "It isolates the stains from the clean paper."),
        ("It examines the X-ray for a fracture.", "examines the X-ray for a fracture",
         "It examines the scan for a colour cast."),
        # a hiker found, a hat added, a crowd's size, product descriptions, questions answered, friends named
        ("It locates the missing hiker in the aerial photos.", "locates the missing hiker",
         "It locates the missing pixels in the aerial photos and fills them from neighbours, as the source does."),
        ("It gives the cat a party hat.", "gives the cat a party hat",
         "It gives the cat photo a second pass."),
        ("Attendance at the concert is put at about five thousand.", "Attendance at the concert is put at",
         "The scan of the concert ticket is kept at full size."),
        ("It writes a short description for each product photo.", "writes a short description",
         "It writes a short log for each product photo."),
        ("It answers questions about the picture in plain English.", "answers questions about the picture",
         "It answers no questions; it only cleans the scan."),
        ("It tells you which of your cousins are in the photo.", None,
         "It tells you which of the scans are the sharpest, as the source does."),
        # a timetable translated, an episode written down, someone edited out, a colour changed, a torn half rebuilt
        ("It translates the bus timetable at the stop.", "translates the bus timetable",
         "It keeps the bus timetable at the stop legible."),
        ("It turns the webinar into meeting minutes.", "turns the webinar into meeting minutes",
         "It turns the webinar slides into clean scans."),
        ("It paints out the stranger in the red coat.", "paints out the stranger",
         "It paints nothing out; it leaves the stranger in the red coat as he is."),
        ("It changes the colour of the car to silver.", "changes the colour of the car to silver",
         "It keeps the colour of the car true to the original."),
        ("It recreates the missing corner of the torn postcard.", "recreates the missing corner",
         "It recreates the faded colours of the postcard, as the source does."),
    ],
)
def test_a_plain_word_task_claim_is_caught(claim: str, text: str | None, twin: str) -> None:
    found = flags(claim)
    assert found if text is None else found == [text], found
    assert flags(twin) == []


@pytest.mark.parametrize(
    ("claim", "question"),
    [
        ("It spots every cyclist on the bridge.", "Can it spot every cyclist on the bridge in my photo?"),
        ("It replays the jump in slow motion.", "How do I replay my skate jump in slow motion?"),
        ("It tells you how many cows are in the meadow.", "How many cows are in the meadow in this picture?"),
    ],
)
def test_the_question_asking_it_grounds_the_claim(claim: str, question: str) -> None:
    assert flags(claim)  # on a neutral question it is a claim …
    assert flags(claim, question) == [], question  # … and the question in plain words supports it


def test_idioms_and_architecture_words_are_no_task() -> None:
    assert flags("The restorer keeps track of the noise level in every tile.") == []
    assert flags("The authors have a strong track record in restoration.") == []
    assert flags("Skip connections feed the decoder's upsampling layers.") == []
    assert flags("The decoder upsamples the features back to full size.") == []
    assert flags("The loop counts the number of refinement passes.") == []  # no objects counted
    assert flags("The loss measures the L1 distance between the output and the target.") == []
    assert flags("It tracks the noise level across the whole scan.")  # a verb still claims tracking


@pytest.mark.parametrize(
    "gap",
    [
        # an absence said late in the clause
        "Following the skier across the video frames is outside what the restorer does.",
        "None of the listed models can turn voice memos into text.",
        "Counting the cows would need a detector, which is not provided.",
        "Slowing the footage down in slow motion is not something these models do.",
        # a model supposed, and the input lacks it
        "A lip-reading model, if one were available, could read their lips.",
        "Reading the lips of the speakers in a clip would need a lip-reading model.",
    ],
)
def test_a_gap_statement_passes(gap: str) -> None:
    assert flags(gap) == [], gap
