"""Credits, tasks and figures in shapes a sixth held-out set of answers used, each planted
into a bundled grounded answer (seed 003: SwinIR, HAIR, DreamClear…) and caught, each with
a sound twin that must pass."""

from __future__ import annotations

import pytest

from .test_heldout_names import case, plant  # noqa: F401 -- the seed 003 case fixture and the planting helper

# --------------------------------------------------------------------------- credits after a work's parenthesis


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("HAIR (arXiv 2024) by Wenbo Tang adapts its weights to each degradation", "Wenbo Tang"),
        ("DreamClear (2024) by Yuxin Hu curates a privacy-safe dataset", "Yuxin Hu"),
    ],
)
def test_a_person_after_a_parenthesis_is_a_credit(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "SwinIR (ICCV 2021 workshop) by Jingyun Liang uses residual Swin blocks",  # the repository's owner
        "The noisy image is cleaned (step 2) by Denoise SwinIR before the merge",  # a model, not a person
        "Edges are kept (mostly) by the frequency branch",
    ],
)
def test_a_grounded_or_unnamed_credit_after_a_parenthesis_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- middle initials and given names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("DreamClear, by Peter J. Novak, extends the data pipeline", "Peter J. Novak"),
        ("HAIR follows Lena Brandt et al. in predicting degradation vectors", "Lena Brandt et al."),
    ],
)
def test_a_middle_initial_or_given_name_is_quoted_with_the_surname(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "SwinIR, by Jingyun Liang, was trained on DIV2K",
        "As Liang et al. report, SwinIR needs fewer parameters",
        "This follows Liang et al. closely",  # a sentence's first word is no given name
    ],
)
def test_grounded_credits_with_initials_or_et_al_pass(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- a hosting site's member as author


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("HAIR was fine-tuned by the Civitai user darkSushi for portraits", "darkSushi"),
        ("A merge created by the Hugging Face user lowlight_lab sharpens faces", "lowlight_lab"),
    ],
)
def test_a_hosting_sites_member_is_a_credit(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "SwinIR was released by the GitHub user JingyunLiang with its weights",
        "The checkpoints are shared on Hugging Face by their authors",
    ],
)
def test_a_grounded_or_unnamed_hosting_member_passes(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- tasks in plain words


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("HAIR can then animate the illustration for a looping banner", "animate the illustration"),
        ("DreamClear also animates the characters so they wave", "animates the characters"),
        ("SwinIR can also read the sign text and return it as a string", "read the sign text"),
        ("HAIR estimates depth for each region before restoring it", "estimates depth"),
        ("DreamClear predicts the depth of every pixel", "predicts the depth"),
    ],
)
def test_a_plain_word_task_the_input_does_not_support_is_claimed(case, text: str, written: str) -> None:
    found = plant(case, text, ("task",))
    assert [k for k, _ in found] == ["task"] and written.lower() in found[0][1].lower()


@pytest.mark.parametrize(
    "text",
    [
        "None of the listed models can animate the illustration",
        "The sign text stays legible after restoration",
        "No listed model estimates depth, so the layers keep their order",
        "An animated character in the background is kept as it is",
    ],
)
def test_gap_statements_and_plain_mentions_of_those_tasks_pass(case, text: str) -> None:
    assert plant(case, text, ("task",)) == []


# --------------------------------------------------------------------------- titles, teams, supervisors


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("DreamClear was supervised by Prof. Hana Lindqvist at her lab", "Hana Lindqvist"),
        ("HAIR builds on work by Dr. Omar Haddad", "Omar Haddad"),
        ("The Stability AI team trained DreamClear on curated pairs", "Stability AI"),
    ],
)
def test_titles_supervisors_and_an_organisations_team_are_credits(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "SwinIR was released by Dr. Jingyun Liang with its weights",
        "HAIR was supervised by the authors themselves",
        "Our team trained a small adapter on top of HAIR",
        "The Restoration team released a demo",  # no listed organisation
    ],
)
def test_grounded_titles_and_unnamed_teams_pass(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- decoding settings, face and sky swaps


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Decode the captions with a beam size of 7", "beam size of 7"),
        ("Set max_new_tokens to 40 for short captions", "max_new_tokens to 40"),
        ("Keep the repetition penalty at 1.3", "repetition penalty at 1.3"),
    ],
)
def test_a_decoding_setting_is_a_figure(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


def test_a_decoding_setting_without_a_value_passes(case) -> None:
    assert plant(case, "Raise the beam size if captions repeat themselves", ("number",)) == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("HAIR can then swap the face for a stock one", "swap the face"),
        ("DreamClear can change the sky to a sunset", "change the sky"),
    ],
)
def test_face_and_sky_swaps_in_plain_words_are_claims(case, text: str, written: str) -> None:
    found = plant(case, text, ("task",))
    assert [k for k, _ in found] == ["task"] and written in found[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "None of the models can swap the face",
        "The sky changes colour at dusk, which HAIR keeps",
    ],
)
def test_gaps_and_plain_sky_words_pass(case, text: str) -> None:
    assert plant(case, text, ("task",)) == []


# --------------------------------------------------------------------------- tools written in lower case


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Polish the faces with the codeformer command afterwards", "codeformer"),
        ("A free desktop route is upscayl with its default model", "upscayl"),
        ("Mask the rest in photopea before exporting", "photopea"),
        ("Fix stray pixels by hand in gimp", "gimp"),
    ],
)
def test_a_listed_tool_in_lower_case_is_a_name(case, text: str, name: str) -> None:
    assert plant(case, text, ("model",)) == [("model", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Keep the outputs under results/codeformer/ for review",  # a path's part
        "Name the file gimp_export.png",
        "Call iopaint.run only in your own scripts",  # a dotted call
    ],
)
def test_lower_case_tool_words_in_paths_and_code_pass(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []


# --------------------------------------------------------------------------- a person's full name in a possessive


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("DreamClear extends Tomas Varga's diffusion transformer", "Tomas Varga"),
        ("Then Hana Lindqvist's frequency branch refines the output", "Hana Lindqvist"),
    ],
)
def test_a_full_name_in_a_possessive_is_a_credit(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Jingyun Liang's SwinIR is the base of the denoiser",  # the repository's owner
        "The Swin Transformer's windows are shifted",  # a model's
        "Each Restoration Module's output is cached",  # the answer's own parts
        "The Noise Branch's output feeds the merge",
    ],
)
def test_grounded_model_and_module_possessives_pass(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- an organisation in parentheses, "comes from"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Outside the list, CodeFormer (Tencent ARC) restores faces", "Tencent ARC"),
        ("HAIR (Google) adapts its weights to each degradation", "Google"),
        ("The frequency branch comes from Hana Lindqvist and colleagues", "Hana Lindqvist"),
    ],
)
def test_a_parenthesised_organisation_or_a_comes_from_credit_is_one(case, text: str, name: str) -> None:
    assert plant(case, text, ("author",)) == [("author", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Run it on an RTX 4090 (NVIDIA) card",  # a hardware maker after its number
        "SwinIR (ICCV 2021) is the denoiser",
        "The noise comes from Gaussian sampling",
        "The checkpoint comes from Civitai",  # where it is hosted
        "Restoration (Stage 2) runs next",
    ],
)
def test_parentheses_and_comes_from_without_a_credit_pass(case, text: str) -> None:
    assert plant(case, text, ("author",)) == []


# --------------------------------------------------------------------------- gap statements a few words longer


@pytest.mark.parametrize(
    "text",
    [
        "For counting people, an additional detector would be needed",
        "If you later want to change the sky, a sky-replacement model would be required",
        "To swap the face, a dedicated face model would be necessary",
    ],
)
def test_a_gap_statement_with_its_need_a_few_words_on_passes(case, text: str) -> None:
    assert plant(case, text, ("task",)) == []


def test_a_claim_before_a_need_elsewhere_is_still_one(case) -> None:
    found = plant(case, "HAIR can also change the sky to a sunset", ("task",))
    assert [k for k, _ in found] == ["task"]


# --------------------------------------------------------------------------- more plain-word tasks


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("HAIR can also replace the grey sky with a sunset", "replace the grey sky"),
        ("DreamClear can then recognise the guests in every shot", "recognise the guests"),
        ("SwinIR can also rate how sharp each photo is", "rate how sharp"),
        ("HAIR also stabilises the shaky footage from the phone", "stabilises the shaky"),
    ],
)
def test_more_plain_word_tasks_are_claims(case, text: str, written: str) -> None:
    found = plant(case, text, ("task",))
    assert [k for k, _ in found] == ["task"] and written in found[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "None of the listed models can replace the grey sky",
        "The guests will recognise the venue in the background",
        "Check how sharp each result is before printing",
        "We replace the old blur kernel with the learned one",
        "Sorting the results into before and after folders makes review easier",
        "Tag each file by name of the couple",
    ],
)
def test_gaps_and_the_users_own_steps_pass(case, text: str) -> None:
    assert plant(case, text, ("task",)) == []


# --------------------------------------------------------------------------- a venue and its year as one word


@pytest.mark.parametrize("text", ["HAIR appeared at CVPR-2023 as a poster", "DreamClear is an ECCV-22 paper"])
def test_a_venue_joined_to_its_year_is_a_venue_not_a_name(case, text: str) -> None:
    found = plant(case, text, ("model", "venue"))
    assert [k for k, _ in found] == ["venue"]


def test_a_model_with_a_number_after_a_hyphen_is_still_a_name(case) -> None:
    assert plant(case, "Try GridNet-2023 for the same job", ("model",)) == [("model", "GridNet-2023")]


# --------------------------------------------------------------------------- orders of magnitude


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("HAIR is two orders of magnitude faster than iterative solvers", "two orders of magnitude"),
        ("DreamClear needs an order of magnitude more data than SwinIR", "an order of magnitude"),
    ],
)
def test_orders_of_magnitude_are_a_scale(case, text: str, figure: str) -> None:
    assert plant(case, text, ("number",)) == [("number", figure)]


def test_orders_of_magnitude_without_a_count_pass(case) -> None:
    assert plant(case, "Noise levels can differ by orders of magnitude between cameras", ("number",)) == []


def test_an_input_that_gives_orders_of_magnitude_grounds_the_same_scale() -> None:
    from cnaps_llm.grounding.spelled import multiplier_values

    assert 100.0 in multiplier_values("a method two orders of magnitude faster than diffusion")


# --------------------------------------------------------------------------- a short quoted title said to be a paper


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ('HAIR resembles the "Blind Image Restoration" paper in spirit', "Blind Image Restoration"),
        ('DreamClear extends the paper "Latent Restoration Priors" further', "Latent Restoration Priors"),
    ],
)
def test_a_short_quoted_title_said_to_be_a_paper_is_a_name(case, text: str, title: str) -> None:
    assert plant(case, text, ("model",)) == [("model", title)]


@pytest.mark.parametrize(
    "text",
    [
        'Call the module "Tone Blend Stage" in the diagram',
        'The "High Resolution Harmonization" step runs last',
        'The user asked for "Soft Tone Matching" in the flyer',
    ],
)
def test_short_quoted_labels_that_are_not_papers_pass(case, text: str) -> None:
    assert plant(case, text, ("model",)) == []


def test_a_full_name_in_a_possessive_is_one_credit_not_two(case) -> None:
    assert plant(case, "Credit goes to Anna Maria Rossi's group", ("author",)) == [("author", "Anna Maria Rossi")]
