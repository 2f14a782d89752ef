"""The eighth held-out round of the structure and quality rules: useless drafts of shapes
not seen before (a line that loops on a few words, a draft in another language than the
question's, a table of labels with nothing beside them) must not pass; sound answers in
many heading styles and formats must. Each planted miss has a sound twin."""

from __future__ import annotations

from cnaps_llm.grounding import check
from cnaps_llm.inputs import case_from_object

INSTRUCTION = (
    "You are an AI scientist.\n\nBased on the following recommended models, explain:\n\n"
    "1. What task the user is trying to perform.\n"
    "2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).\n"
    "3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.\n"
)
RECOMMENDED = [
    {"name": "Deblur-MSSNet-RealBlurR", "paper": "https://cg.example.org/mssnet.pdf"},
    {"name": "SISR-DRN-L-4x", "paper": "https://arxiv.org/abs/2003.07018"},
]
QUESTION = "The photo of my train ticket is small and smeared; make it crisp and four times bigger."


def case(question: str = QUESTION):  # type: ignore[no-untyped-def]
    return case_from_object(
        {"id": "q8", "question": question, "instruction": INSTRUCTION, "recommended": RECOMMENDED}, default_id="q8"
    )


def flags(text: str, question: str = QUESTION) -> list[str]:
    return [v.text for v in check(text, case(question), kinds=("structure", "quality"))]


TASK = "The user photographed a train ticket that came out small and smeared, and wants it crisp and four times larger so the printed details can be read."
FLOW = (
    "The photo goes first to Deblur-MSSNet-RealBlurR, which removes the smear, and the sharpened photo then goes to "
    "SISR-DRN-L-4x, which enlarges it four times.\n\nphoto → Deblur-MSSNet-RealBlurR → SISR-DRN-L-4x → crisp ticket"
)
REFS = (
    "- MSSNet: https://cg.example.org/mssnet.pdf, a multi-scale deblurring network trained on real camera blur, which matches a handheld shot.\n"
    "- DRN: https://arxiv.org/abs/2003.07018, a dual regression network made for 4x upscaling, the factor asked for."
)


def answer(task: str = TASK, flow: str = FLOW, refs: str = REFS, extra: str = "") -> str:
    return f"## 1. Task\n\n{task}\n\n## 2. Workflow\n\n{flow}\n\n## 3. Papers and tools\n\n{refs}\n{extra}"


def test_the_sound_answer_passes() -> None:
    assert flags(answer()) == []


# --------------------------------------------------------------------------- a line that loops


def test_a_line_looping_on_a_few_words_is_flagged() -> None:
    looped = answer(extra="\n" + "the ticket the ticket " * 40 + "\n")
    assert any("over and over" in v.message for v in check(looped, case(), kinds="quality"))
    # twin: a long sentence that names the same model twice does not loop
    sound = answer(extra="\nBoth steps run on a laptop: Deblur-MSSNet-RealBlurR takes about a second for a phone photo, and "
                   "SISR-DRN-L-4x about two, so the whole workflow finishes in a few seconds without a dedicated graphics card.\n")
    assert flags(sound) == []


def test_a_word_repeated_without_a_stop_in_a_sentence_is_flagged() -> None:
    flow = "The photo goes to Deblur-MSSNet-RealBlurR and then " + "SISR-DRN-L-4x and then " * 30
    assert any("over and over" in v.message for v in check(answer(flow=flow), case(), kinds="quality"))


def test_diagram_rules_and_table_rules_do_not_loop() -> None:
    diagram = "```\n" + "─" * 200 + "\n[photo] → [Deblur-MSSNet-RealBlurR] → [SISR-DRN-L-4x]\n" + "─" * 200 + "\n```\n"
    table = "| Step | Model |\n|" + "-----|" * 40 + "\n| 1 | Deblur-MSSNet-RealBlurR |\n| 2 | SISR-DRN-L-4x |\n"
    assert flags(answer(flow=FLOW + "\n\n" + diagram + "\n" + table)) == []


# --------------------------------------------------------------------------- another language

FRENCH = answer(
    task="L'utilisateur souhaite que la photo du billet soit plus nette et quatre fois plus grande afin de lire les détails.",
    flow="La photo passe d'abord par Deblur-MSSNet-RealBlurR, qui supprime le flou, puis par SISR-DRN-L-4x, qui l'agrandit quatre fois. "
         "Le résultat est une image nette que l'on peut lire sans effort.",
    refs="- MSSNet : https://cg.example.org/mssnet.pdf, un réseau pour le flou réel des appareils photo.\n"
         "- DRN : https://arxiv.org/abs/2003.07018, conçu pour un agrandissement par quatre, comme dans la demande.",
)
PORTUGUESE = answer(
    task="O usuário quer que a foto do bilhete fique nítida e quatro vezes maior para poder ler os detalhes impressos.",
    flow="A foto passa primeiro pelo Deblur-MSSNet-RealBlurR, que remove o borrão, e depois pelo SISR-DRN-L-4x, que a amplia quatro vezes. "
         "Não é preciso outro modelo, pois a foto não tem ruído e uma das redes já faz a ampliação pela escala pedida.",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf, uma rede para o borrão real das câmeras.\n"
         "- DRN: https://arxiv.org/abs/2003.07018, feita para ampliação de quatro vezes, são os dois modelos usados.",
)
JAPANESE = answer(
    task="ユーザーは小さくにじんだ切符の写真を鮮明にし、四倍に拡大して印刷された文字を読めるようにしたいと考えています。",
    flow="写真はまず Deblur-MSSNet-RealBlurR でぼけを取り除き、次に SISR-DRN-L-4x で四倍に拡大します。\n\n写真 → Deblur-MSSNet-RealBlurR → SISR-DRN-L-4x → 鮮明な切符",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf 実際のカメラのぼけに対応するネットワークです。\n"
         "- DRN: https://arxiv.org/abs/2003.07018 四倍拡大のために設計されたネットワークです。",
)


def test_an_answer_in_another_language_than_the_question_is_flagged() -> None:
    for text in (FRENCH, PORTUGUESE, JAPANESE):
        assert "language" in flags(text)


def test_an_answer_in_the_question_language_passes_the_language_check() -> None:
    # twin: the same French answer to a question asked in French is in the right language
    question = "La photo de mon billet de train est petite et floue ; rendez-la nette et quatre fois plus grande."
    assert "language" not in flags(FRENCH, question)
    # a question in Japanese may be answered in Japanese
    assert "language" not in flags(JAPANESE, "切符の写真が小さくてぼやけています。鮮明にして四倍に拡大してください。")


def test_english_answers_quoting_other_languages_pass() -> None:
    # a user's words quoted in Korean, and Greek letters of a loss, do not make an answer foreign
    task = TASK + ' The ticket reads "서울역 → 부산역" at the top.'
    flow = FLOW + "\n\nThe loss weights are α = 0.5 and β = 0.1, as in the DRN paper; the output keeps the ticket's colours (le rouge du logo included)."
    assert flags(answer(task=task, flow=flow)) == []


# --------------------------------------------------------------------------- a table of empty rows


def test_a_table_of_labels_with_nothing_beside_them_is_flagged() -> None:
    text = (
        "| Part | Answer |\n|---|---|\n| Task |  |\n| Workflow |  |\n| Papers and tools |  |\n\n"
        "This answer relies on Deblur-MSSNet-RealBlurR and SISR-DRN-L-4x and on their papers, which are listed in the "
        "context and summarised for the reader where appropriate, with https://arxiv.org/abs/2003.07018 as the main one.\n"
    )
    assert "| Task |  |" in flags(text)
    # twin: the same table filled in
    filled = (
        f"| Part | Answer |\n|---|---|\n| Task | {TASK} |\n"
        "| Workflow | photo → Deblur-MSSNet-RealBlurR (removes the smear) → SISR-DRN-L-4x (4x larger) |\n"
        "| Papers and tools | MSSNet (https://cg.example.org/mssnet.pdf) handles real camera blur; DRN (https://arxiv.org/abs/2003.07018) is built for 4x upscaling. |\n"
    )
    assert flags(filled) == []


def test_a_comparison_table_with_a_few_blank_or_dashed_cells_passes() -> None:
    table = (
        "| Model | Used for | Paper |\n|---|---|---|\n"
        "| Deblur-MSSNet-RealBlurR | removing the smear | https://cg.example.org/mssnet.pdf |\n"
        "| SISR-DRN-L-4x | 4x enlargement | https://arxiv.org/abs/2003.07018 |\n"
        "| (none) | — | — |\n| Extra notes |  |  |\n"
    )
    assert flags(answer(extra="\n" + table)) == []


# --------------------------------------------------------------------------- a single sentence


def test_an_answer_of_one_long_sentence_is_flagged() -> None:
    one = (
        "The user wants the ticket crisp and larger, so run Deblur-MSSNet-RealBlurR and then SISR-DRN-L-4x as described in "
        "https://arxiv.org/abs/2003.07018 and https://cg.example.org/mssnet.pdf, which together cover the deblurring and the "
        "four-times enlargement that the user needs in order to read the small printed details on the ticket without any effort at all"
    )
    assert "one sentence" in flags(one)
    # twin: the same words in a few sentences on one line are a terse answer, not one sentence
    terse = one.replace(", so run", ". Run").replace(", which together", ". Together they").replace(" that the user", ". The user")
    assert "one sentence" not in flags(terse)


# --------------------------------------------------------------------------- a model left out


def test_a_model_left_out_in_other_words_is_set_aside() -> None:
    rec = [*RECOMMENDED, {"name": "Denoise-SwinIR-Noise25", "paper": "https://arxiv.org/abs/2108.10257"}]
    c = case_from_object({"id": "q8", "question": QUESTION, "instruction": INSTRUCTION, "recommended": rec}, default_id="q8")
    for aside in (
        "I leave Denoise-SwinIR-Noise25 out, because the photo is smeared rather than grainy.",
        "Denoise-SwinIR-Noise25 is redundant here: the photo has no grain to remove.",
        "Denoise-SwinIR-Noise25 is left out, as the photo has no grain.",
        "Denoise-SwinIR-Noise25 would not be called at all, since the photo has no grain.",
    ):
        # said under the references, outside the workflow that uses the others
        text = f"Task\n====\n\n{TASK}\n\nWorkflow\n========\n\n{FLOW}\n\nReferences\n==========\n\n{REFS}\n\n{aside}\n"
        assert [v.text for v in check(text, c, kinds="quality")] == [], aside
    # twin: a sentence that carries a step out after the model's name does not set it aside
    kept = text.replace(aside, "Denoise-SwinIR-Noise25 carries out a light clean-up of the result as well.")
    assert "Denoise-SwinIR-Noise25" in [v.text for v in check(kept, c, kinds="quality")]


# --------------------------------------------------------------------------- plain headings


def _parts(text: str) -> list[str]:
    from cnaps_llm.grounding import grounding_for, sections
    from cnaps_llm.grounding.rules import View

    return sorted(sections.Answer(View(text), grounding_for(case())).parts)


def test_plain_label_headings_start_the_parts() -> None:
    for h1, h2, h3 in (
        ("Task\n====", "Workflow\n========", "References\n=========="),
        ("CORE TASK", "WORKFLOW", "PAPERS AND TOOLS"),
        ("Task:", "How the models work together:", "Sources:"),
        ("Task —", "Workflow —", "Sources —"),
        ("(1) Core task", "(2) Workflow", "(3) Justification"),
        ("1/ Core task", "2/ Workflow", "3/ Justification"),
        ("Part I: Core Task", "Part II: Workflow", "Part III: Justification"),
        ("Section A – Task", "Section B – Workflow", "Section C – Justification"),
        ("1️⃣ Core Task", "2️⃣ Workflow", "3️⃣ Justification"),
        ("> **Task**", "> **Workflow**", "> **References**"),
    ):
        text = f"{h1}\n\n{TASK}\n\n{h2}\n\n{FLOW}\n\n{h3}\n\n{REFS}\n"
        assert _parts(text) == ["references", "task", "workflow"], h1
        assert flags(text) == [], h1


def test_a_sentence_or_a_long_line_is_no_label_heading() -> None:
    # a line that ends a sentence, or runs past a label's few words, starts no part
    text = f"The task is clear.\n\n{TASK}\n\nThe workflow below uses two of the listed models in a row\n\n{FLOW}\n"
    assert _parts(text) == []


def test_a_label_heading_with_a_bare_name_under_it_is_an_empty_task() -> None:
    text = f"CORE TASK\n\nSISR-DRN-L-4x\n\nWORKFLOW\n\n{FLOW}\n\nPAPERS AND TOOLS\n\n{REFS}\n"
    assert any(v.text == "SISR-DRN-L-4x" and "Part 1" in v.message for v in check(text, case(), kinds="quality"))
    assert flags(text.replace("SISR-DRN-L-4x\n\nWORKFLOW", TASK + "\n\nWORKFLOW")) == []


def test_question_headings_name_the_task_and_the_reasons() -> None:
    text = f"### What is the user trying to do?\n\n{TASK}\n\n### How would the models work?\n\n{FLOW}\n\n### Why these models?\n\n{REFS}\n"
    assert _parts(text) == ["references", "task", "workflow"]


# --------------------------------------------------------------------------- a short line again and again


def test_a_short_line_written_again_and_again_is_flagged() -> None:
    looped = answer(extra="\n" + "→ SISR-DRN-L-4x →\n" * 20)
    assert "→ SISR-DRN-L-4x →" in flags(looped)
    # twin: a label repeated for each of three modules is no loop
    modules = "".join(f"\n**Module {i}**\n- **Output**:\n  the photo after step {i}\n" for i in (1, 2, 3))
    assert flags(answer(extra=modules)) == []


# --------------------------------------------------------------------------- none fits, in other words

MISFIT = [{"name": "Txt2Img-StableDiffusionV1-Realisian"}, {"name": "Txt2Img-StableDiffusionV1-ICBINP"}]
COUNT_Q = "Count the cars and the cyclists in this crossroads photo."


def misfit_case(instruction: str = INSTRUCTION):  # type: ignore[no-untyped-def]
    return case_from_object({"id": "m8", "question": COUNT_Q, "instruction": instruction, "recommended": MISFIT}, default_id="m8")


def _misfit(flow: str) -> str:
    return (
        "## 1. Task\n\nCounting cars and cyclists in a photo of a crossroads, which needs object detection.\n\n"
        f"## 2. Workflow\n\n{flow}\n\n"
        "## 3. Papers and tools\n\nNo paper or code links come with these checkpoints, so there is nothing to cite for detection.\n"
    )


def test_none_fits_said_in_other_words() -> None:
    for said in (
        "The list contains no detector; a DETR-style model would be needed.",
        "Both recommended checkpoints are image generators, so neither applies to counting.",
        "Neither of the two models fits: they paint pictures from text prompts.",
        "I can't recommend any of the listed models, since they generate images rather than find objects.",
    ):
        assert [v.text for v in check(_misfit(said), misfit_case(), kinds="structure")] == [], said
    # twin: a workflow that names no model and says nothing of the list
    generic = "A detector finds the cars and cyclists and a counter tallies them."
    assert "no-recommended" in [v.text for v in check(_misfit(generic), misfit_case(), kinds="structure")]


def test_a_plain_word_core_of_a_name_counts_as_a_mention_where_it_is_a_name() -> None:
    said = "Both Realisian and ICBINP are image generators and do not detect anything, so no workflow is built from them."
    assert [v.text for v in check(_misfit(said), misfit_case(), kinds="structure")] == []
    # twin: "Realisian" missing, the other named: the first is never mentioned
    only = said.replace("Both Realisian and ICBINP are image generators", "ICBINP is an image generator").replace("from them", "from it")
    assert "no-recommended" in [v.text for v in check(_misfit(only), misfit_case(), kinds="structure")]


def test_plain_core_words_are_read_only_as_names() -> None:
    from cnaps_llm.grounding.mentions import Mentions, plain_core

    assert plain_core("Txt2Img-StableDiffusionV1-Realisian") == "realisian"
    assert plain_core("Txt2Img-HuggingFace-prompthero-openjourney-v4") == "openjourney"  # a hub's model id
    assert Mentions("We draw it with Openjourney.", ())("Txt2Img-HuggingFace-prompthero-openjourney-v4")
    assert not Mentions("We draw it with openjourney.", ())("Txt2Img-HuggingFace-prompthero-openjourney-v4")
    assert plain_core("Txt2Img-StableDiffusionV1-ICBINP") == ""  # read by mention_forms already
    assert plain_core("StableDiffusion-colorful") == ""  # lower case: a plain word of prose
    seen = Mentions("Reliberate. Photos are shared.\nReliberate is not used.", ())
    assert not seen("Txt2Img-StableDiffusionV1-Reliberate")  # only where sentences and lines start
    assert Mentions("We keep Reliberate for later.", ())("Txt2Img-StableDiffusionV1-Reliberate")


# --------------------------------------------------------------------------- parts named in other words


def test_heading_words_for_a_selection_and_for_how_it_works() -> None:
    from cnaps_llm.grounding.structure import missing_parts

    five = (
        "1. Describe the user's goal.\n2. Select suitable models from the list.\n3. Draw the data flow between them.\n"
        "4. Discuss failure cases.\n5. Give references with links.\n"
    )
    text = (
        f"## Goal\n\n{TASK}\n\n## Chosen models\n\nDeblur-MSSNet-RealBlurR and SISR-DRN-L-4x.\n\n## Data flow\n\n{FLOW}\n\n"
        f"## Failure cases\n\nTiny print may come back with invented strokes.\n\n## References\n\n{REFS}\n"
    )
    assert missing_parts(text, five) == []
    assert [p.number for p in missing_parts(text.replace("## Chosen models", "## Notes"), five)] == [2]
    hood = f"## What you asked for\n\n{TASK}\n\n## Under the hood\n\n{FLOW}\n\n## Further reading\n\n{REFS}\n"
    assert missing_parts(hood, INSTRUCTION) == []
    assert [p.number for p in missing_parts(hood.replace("Under the hood", "A few remarks"), INSTRUCTION)] == [2]


# --------------------------------------------------------------------------- other Latin-script languages

TURKISH = answer(
    task="Kullanıcı, küçük ve lekeli bilet fotoğrafının net olmasını ve dört kat büyütülmesini istiyor; böylece basılı ayrıntılar okunabilir.",
    flow="Fotoğraf önce Deblur-MSSNet-RealBlurR ile netleştirilir, sonra SISR-DRN-L-4x ile dört kat büyütülür. "
         "Fotoğrafta gürültü olmadığı için başka bir modele gerek yoktur ve iki model bu iş için yeterlidir.",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf, gerçek kamera bulanıklığı için tasarlanmış bir ağ.\n"
         "- DRN: https://arxiv.org/abs/2003.07018, dört kat büyütme için tasarlanmış bir ağ, tam olarak istenen ölçek.",
)
INDONESIAN = answer(
    task="Pengguna ingin foto tiket yang kecil dan buram menjadi tajam dan empat kali lebih besar agar detail cetakannya bisa dibaca.",
    flow="Foto masuk ke Deblur-MSSNet-RealBlurR untuk menghilangkan keburaman, lalu ke SISR-DRN-L-4x untuk memperbesar empat kali. "
         "Model lain tidak diperlukan karena foto tidak berisik dan kedua model ini sudah cukup.",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf, jaringan untuk keburaman nyata dari kamera.\n"
         "- DRN: https://arxiv.org/abs/2003.07018, dibuat untuk perbesaran empat kali seperti yang diminta.",
)


def test_other_latin_script_languages_are_flagged_by_their_function_words() -> None:
    for text in (TURKISH, INDONESIAN):
        assert "language" in flags(text)


VIETNAMESE = answer(
    task="Người dùng muốn ảnh vé nhỏ và mờ trở nên sắc nét và lớn gấp bốn lần để có thể đọc được các chi tiết in trên vé.",
    flow="Ảnh đi qua Deblur-MSSNet-RealBlurR để loại bỏ vết mờ, sau đó qua SISR-DRN-L-4x để phóng to bốn lần. "
         "Không cần mô hình nào khác vì ảnh không bị nhiễu.",
    refs="- MSSNet: https://cg.example.org/mssnet.pdf, một mạng khử mờ đa tỷ lệ cho vết mờ thật của máy ảnh.\n"
         "- DRN: https://arxiv.org/abs/2003.07018, một mạng hồi quy kép để phóng to bốn lần, đúng tỷ lệ được yêu cầu.",
)


def test_a_language_of_many_accented_letters_is_flagged() -> None:
    assert "language" in flags(VIETNAMESE)


def test_a_telegraphic_english_answer_with_no_function_words_is_english() -> None:
    # no "the", "of", "and" in forty words and more: lists of labels and noun phrases, as a
    # terse model writes them; the missing function words alone do not make it foreign
    text = answer(
        task="Ticket photo: small, smudged, blurry; goal: sharp print, fourfold size, readable details.",
        flow="- Input: smudged ticket photo, phone camera, RGB\n- Model: Deblur-MSSNet-RealBlurR — multi-scale deblurring, real camera blur\n"
             "- Model: SISR-DRN-L-4x — single-image super-resolution, fourfold upscaling\n- Output: crisp ticket image, print legible\n"
             "- Note: noise absent, extra denoiser unnecessary; both networks sufficient",
    )
    assert "language" not in flags(text)


def test_a_terse_english_answer_of_tables_and_lists_is_english() -> None:
    text = answer(
        flow="| Step | Model | Output |\n|---|---|---|\n| 1 | Deblur-MSSNet-RealBlurR | sharp photo |\n| 2 | SISR-DRN-L-4x | 4x photo |\n\n"
             "- Input: ticket photo (RGB, phone camera)\n- Output: crisp ticket, 4x size\n- Runtime: about 3 s on a laptop GPU",
    )
    assert flags(text) == []


def test_to_be_continued_is_a_placeholder() -> None:
    text = answer(flow="To be continued.")
    assert "To be continued." in flags(text)
    # twin: a workflow that continues a step is content
    assert flags(answer(flow=FLOW + "\n\nThe enlarged photo is then continued to the user's gallery as a PNG file.")) == []


def test_a_loop_is_quoted_from_a_sentence_start() -> None:
    looped = answer(extra="\nThe final ticket is crisp. " + "The final ticket is crisp and clear and " * 20)
    found = [v.text for v in check(looped, case(), kinds="quality") if "over and over" in v.message]
    assert found == ["The final ticket is crisp and clear and"]


def test_heading_words_for_limitations_and_evaluation() -> None:
    from cnaps_llm.grounding.structure import missing_parts

    five = (
        "1. State the objective.\n2. Propose a pipeline using the listed models.\n3. Explain the limitations and risks.\n"
        "4. Suggest how to evaluate the result.\n5. Provide citations with URLs.\n"
    )
    text = (
        f"## Objective\n\n{TASK}\n\n## Pipeline\n\n{FLOW}\n\n## Drawbacks\n\nTiny print may come back with invented strokes.\n\n"
        f"## Measuring success\n\nCompare OCR accuracy before and after on a few tickets.\n\n## Citations\n\n{REFS}\n"
    )
    assert missing_parts(text, five) == []
    assert [p.number for p in missing_parts(text.replace("## Drawbacks", "## Remarks"), five)] == [3]
    assert [p.number for p in missing_parts(text.replace("## Measuring success", "## Remarks"), five)] == [4]


def test_literature_heading_addresses_the_references() -> None:
    from cnaps_llm.grounding.structure import missing_parts

    text = f"## Task\n\n{TASK}\n\n## Step-by-step plan\n\n{FLOW}\n\n## Backing literature\n\n{REFS}\n"
    assert missing_parts(text, INSTRUCTION) == []
    assert _parts(text) == ["references", "task", "workflow"]
    # twin: a closing heading that names no source part, over text with no link, leaves part 3 missing
    twin = text.replace("## Backing literature", "## Closing remarks").replace(REFS, "The two steps run in a few seconds on a laptop.")
    assert [p.number for p in missing_parts(twin, INSTRUCTION)] == [3]
