"""Moodle GIFT import: every GIFT feature converted question by question, and `flask courses import-gift`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elearn.catalog import load_course
from elearn.catalog.gift import convert_gift, split_questions
from elearn.catalog.parse import MAX_ID, Source, parse_quiz_section
from elearn.catalog.render import Renderer
from tests.conftest import FIXTURES

BANK = FIXTURES / "gift" / "bank-pelayanan.gift"


def questions_of(markdown: str) -> dict:
    """Read converted Markdown with the course parser: {id: Question}; fail on any problem."""
    source = Source(Path("gift"), "gift")
    quiz = parse_quiz_section(source, markdown.split("\n"), 1, 0, Renderer(), {})
    assert source.problems == []
    return {question.id: question for question in quiz.questions}


@pytest.fixture(scope="module")
def bank():
    return convert_gift(BANK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def converted(bank):
    return questions_of(bank.markdown())


def test_every_convertible_question_of_the_bank_is_converted(bank, converted):
    assert len(bank.converted) == 18
    assert len(converted) == 18
    assert [c.id for c in bank.converted] == list(converted)


def test_single_choice_keeps_option_feedback_and_general_feedback(converted):
    question = converted["standar-pelayanan"]
    assert question.type == "single"
    # text after the answer block ("."): Moodle's missing-word form, a blank in the sentence
    assert question.text == r"Dokumen yang memuat tolok ukur penyelenggaraan layanan disebut \_\_\_\_\_."
    assert "_____." in question.prompt_html
    assert question.options == ("standar pelayanan", "maklumat pelayanan", "survei kepuasan masyarakat")
    assert question.correct == (0,)
    assert question.feedback == (
        "Tepat, standar pelayanan menjadi acuan mutu layanan.",
        "Maklumat adalah pernyataan kesanggupan, bukan tolok ukurnya.",
        None,
    )
    assert question.explanation == "Standar pelayanan wajib disusun dan dipublikasikan setiap unit layanan."


def test_weighted_choices_become_multiple_choice_positive_weights_correct(converted):
    question = converted["gratifikasi-wajib-lapor"]
    assert question.type == "multiple"
    assert question.options == (
        "Parsel dari rekanan pengadaan",
        "Tiket liburan dari pemohon izin",
        "Hadiah ulang tahun dari orang tua",
        "Gaji bulanan",
    )
    assert question.correct == (0, 1)
    assert question.feedback[0] == "Benar, pemberian ini terkait jabatan."
    assert question.feedback[2] == "Hubungan keluarga tanpa konflik kepentingan tidak wajib dilapor."


def test_false_with_both_feedbacks_goes_to_the_options_moodle_shows_them_for(converted):
    question = converted["jam-layanan"]
    assert question.type == "single"
    assert question.options == ("Benar", "Salah")
    assert question.correct == (1,)
    # GIFT: {FALSE#shown when wrong#shown when right}
    assert question.feedback == (
        "Jam layanan adalah janji yang diumumkan.",
        "Betul, perubahan jam layanan harus diumumkan.",
    )


def test_true_with_general_feedback(converted):
    question = converted["kode-etik"]
    assert (question.options, question.correct, question.feedback) == (("Benar", "Salah"), (0,), (None, None))
    assert question.explanation == "Kerahasiaan data pribadi dilindungi undang-undang."


def test_short_answer_keeps_full_credit_answers_and_drops_partial_ones_with_a_note(bank, converted):
    question = converted["singkatan-spbe"]
    assert question.type == "short"
    assert question.correct == (
        "Sistem Pemerintahan Berbasis Elektronik",
        "Sistem Pemerintahan Berbasis Elektronik (SPBE)",
    )
    notes = [note.message for note in bank.notes if note.title == "Singkatan SPBE"]
    assert any("berkredit sebagian dibuang" in note for note in notes)
    assert any("umpan balik" in note for note in notes)


@pytest.mark.parametrize(
    ("qid", "key"),
    [
        ("batas-lapor-gratifikasi", (30, 0)),  # {#30}
        ("nilai-pi", (3.14, 0.01)),  # {#3.14:0.01}
        ("rentang-skor-ikm", (3.25, 0.25)),  # {#3.0..3.5}: the middle, half the range either side
        ("durasi-rapat", (90, 0)),  # {# =90:0 =%50%90:15}: the full-credit answer
    ],
)
def test_numeric_answers_become_value_and_tolerance(converted, qid, key):
    question = converted[qid]
    assert question.type == "numeric"
    assert question.correct == pytest.approx(key)


def test_numeric_partial_answer_is_dropped_with_a_note(bank):
    notes = [note.message for note in bank.notes if note.title == "Durasi rapat"]
    assert "1 jawaban angka berkredit sebagian atau salah dibuang" in notes
    assert len(notes) == len(set(notes))


def test_matching_pairs_and_a_right_item_without_a_pair(converted):
    question = converted["jodohkan-layanan"]
    assert question.type == "matching"
    assert question.options == ("Kartu Tanda Penduduk", "Izin mendirikan usaha", "Layanan imunisasi")
    assert question.correct == (
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Penanaman Modal dan PTSP",
        "Puskesmas",
    )
    assert "Satuan Polisi Pamong Praja" in question.extra["rights_text"]


def test_escaped_characters_are_literal(converted):
    question = converted["escape"]
    assert (
        question.text
        == "Dalam rumus {a} = b, tanda # dan ~ serta titik dua : harus tampil apa adanya. Mana yang benar?"
    )
    assert question.options == ("Tanda = dan # tampil", "Tanda itu hilang")
    assert question.correct == (0,)


def test_a_question_over_several_lines_is_one_question(converted):
    question = converted["multi-baris"]
    assert question.text.startswith("Seorang warga datang pukul 15.55")
    assert question.text.endswith("Apa yang sebaiknya dilakukan petugas?")
    assert len(question.options) == 3


def test_missing_word_short_answer_becomes_fill_in_the_blank(converted):
    question = converted["kata-yang-hilang"]
    assert question.type == "cloze"
    assert question.correct == (("KPK", "Komisi Pemberantasan Korupsi"),)
    assert "paling lambat tiga puluh hari kerja" in question.prompt_html


def test_missing_word_number_becomes_a_numeric_blank(converted):
    question = converted["angka-yang-hilang"]
    assert (question.type, question.correct) == ("cloze", ((4, 0),))


def test_missing_word_choice_shows_the_blank_in_the_sentence(converted):
    question = converted["pilihan-yang-hilang"]
    assert question.type == "single"
    assert question.options[question.correct[0]] == "BerAKHLAK"
    assert "disingkat _____ sejak 2021" in question.prompt_html


def test_html_is_converted_and_scripts_never_pass(bank, converted):
    question = converted["html-judul-html"]
    assert question.text == "Manakah **prinsip** pelayanan prima?"
    assert question.options == ("*Cepat*, tepat dan ramah", "Lambat asal teliti")
    assert "alert" not in bank.markdown() and "<" not in bank.markdown()


def test_markdown_is_kept_and_an_untitled_question_gets_an_id_from_its_text(converted):
    question = converted["apa-fungsi-sistem-informasi-asn"]
    assert "<strong>Sistem Informasi ASN</strong>" in question.prompt_html


def test_plain_text_is_shown_as_written(converted):
    assert "2 * 3 = 6 ditulis dengan *bintang*" in converted["polos"].prompt_html


def test_every_unconvertible_question_is_reported_with_its_line_and_why(bank):
    skipped = {(s.line, s.title): s.reason for s in bank.skipped}
    assert list(skipped) == [(48, "Esai refleksi"), (50, "Pengumuman"), (83, "Dua kunci"), (85, "Tanpa kunci")]
    assert "esai" in skipped[48, "Esai refleksi"]
    assert "deskripsi" in skipped[50, "Pengumuman"]
    assert "lebih dari satu jawaban '='" in skipped[83, "Dua kunci"]
    assert "tanpa opsi berbobot positif" in skipped[85, "Tanpa kunci"]


def test_category_lines_are_ignored_with_a_note(bank):
    assert bank.notes[0].line == 4
    assert "$course$/Pelayanan Publik/Dasar" in bank.notes[0].message


def test_comments_and_blank_lines_separate_questions_with_their_first_line():
    text = "// komentar\n::A::Soal satu {T}\n\n\n// lagi\n::B::Soal\ndua {F}\n"
    assert split_questions(text) == [(2, "::A::Soal satu {T}"), (6, "::B::Soal\ndua {F}")]


def test_ids_are_unique_against_the_target_file_and_each_other():
    result = convert_gift("::Etika::Soal satu {T}\n\n::Etika::Soal dua {F}\n", existing_ids={"etika"})
    assert [c.id for c in result.converted] == ["etika-2", "etika-3"]


def test_a_long_title_gives_an_id_the_parser_accepts():
    title = "Pelayanan " * 30
    result = convert_gift(f"::{title}::Soal panjang {{T}}\n", existing_ids={slug := ("pelayanan-" * 10)[:MAX_ID]})
    qid = result.converted[0].id
    assert len(qid) <= MAX_ID and qid != slug
    assert list(questions_of(result.markdown())) == [qid]


def test_question_text_that_looks_like_answers_stays_text():
    gift = (
        "::Daftar::Urutan kerja:\n1. Terima berkas\n= bukan jawaban\n### bukan judul\n"
        "- ( ) bukan opsi {=Benar ~Salah asli}"
    )
    result = convert_gift(gift)
    question = questions_of(result.markdown())["daftar"]
    assert question.type == "single"
    assert question.options == ("Benar", "Salah asli")
    assert "1. Terima berkas" in question.prompt_html and "### bukan judul" in question.prompt_html


def test_an_answer_block_that_is_not_closed_is_reported():
    result = convert_gift("::Rusak::Soal tanpa penutup {=a ~b\n")
    assert result.converted == []
    assert result.skipped[0].line == 1 and "tidak ditutup" in result.skipped[0].reason


def test_a_reversed_range_is_reported():
    result = convert_gift("::Rentang::Berapa? {#5..1}\n")
    assert "terbalik" in result.skipped[0].reason


# --- the command ---------------------------------------------------------------------------


@pytest.fixture
def import_gift(editable_courses, tmp_path):
    app, courses = editable_courses
    runner = app.test_cli_runner()

    def _import(*args, gift: Path = BANK):
        return runner.invoke(args=["courses", "import-gift", str(gift), *args])

    return _import, courses / "layanan-dasar"


def test_import_appends_a_quiz_to_a_lesson_and_the_course_still_checks_clean(import_gift):
    run, folder = import_gift
    result = run("--course", "layanan-dasar", "--lesson", "pengantar")
    assert result.exit_code == 0, result.output
    assert "18 soal dikonversi dan ditambahkan" in result.output
    assert 'bank-pelayanan.gift baris 48 "Esai refleksi": soal esai' in result.output
    course, problems = load_course(folder)
    assert problems == []
    lesson = course.lessons[0]
    assert lesson.id == "pengantar" and len(lesson.quiz.questions) == 18
    assert "## Kuis" in (folder / "01-pengantar.md").read_text()


def test_import_into_an_existing_quiz_keeps_its_questions_and_ids_apart(import_gift):
    run, folder = import_gift
    before = len(load_course(folder)[0].lessons[1].quiz.questions)
    assert run("--course", "layanan-dasar", "--lesson", "prioritas").exit_code == 0
    assert run("--course", "layanan-dasar", "--lesson", "02-prioritas").exit_code == 0
    course, problems = load_course(folder)
    assert problems == []
    ids = [question.id for question in course.lessons[1].quiz.questions]
    assert len(ids) == len(set(ids)) == before + 2 * 18
    assert ids[0] == "q-fungsi" and "standar-pelayanan-2" in ids


def test_import_into_the_exam_pool(import_gift):
    run, folder = import_gift
    before = len(load_course(folder)[0].exam.questions)
    result = run("--course", "layanan-dasar", "--lesson", "ujian")
    assert result.exit_code == 0, result.output
    course, problems = load_course(folder)
    assert problems == [] and len(course.exam.questions) == before + 18


def test_dry_run_prints_the_markdown_and_writes_nothing(import_gift):
    run, folder = import_gift
    before = (folder / "01-pengantar.md").read_bytes()
    result = run("--course", "layanan-dasar", "--lesson", "pengantar", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("### Dokumen yang memuat tolok ukur")
    assert "uji coba: tidak ada yang ditulis" in result.stderr
    assert (folder / "01-pengantar.md").read_bytes() == before


def test_an_unreadable_quiz_after_writing_restores_the_file(import_gift):
    run, folder = import_gift
    lesson = folder / "01-pengantar.md"
    lesson.write_text(lesson.read_text() + "\n```\nkode yang tidak ditutup\n")
    before = lesson.read_bytes()
    result = run("--course", "layanan-dasar", "--lesson", "pengantar")
    assert result.exit_code == 1
    assert "dikembalikan seperti semula" in result.output
    assert lesson.read_bytes() == before
    assert not list(folder.glob(".gift-*"))


def test_a_course_with_problems_is_not_touched(import_gift):
    run, folder = import_gift
    lesson = folder / "02-prioritas.md"
    lesson.write_text(lesson.read_text().replace("- (x) Memilah", "- ( ) Memilah"))
    before = lesson.read_bytes()
    result = run("--course", "layanan-dasar", "--lesson", "prioritas")
    assert result.exit_code == 1
    assert "sudah bermasalah sebelum impor" in result.output
    assert "02-prioritas.md:" in result.output
    assert lesson.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--course", "../layanan-dasar", "--lesson", "pengantar"), "tidak sah"),
        (("--course", "tidak-ada", "--lesson", "pengantar"), "tidak ditemukan"),
        (("--course", "layanan-dasar", "--lesson", "tidak-ada"), "Pelajaran 'tidak-ada' tidak ada"),
    ],
)
def test_a_wrong_course_or_lesson_is_explained(import_gift, args, message):
    run, _ = import_gift
    result = run(*args)
    assert result.exit_code == 1 and message in result.output


def test_exam_target_without_an_exam_is_explained(import_gift):
    run, folder = import_gift
    (folder / "exam.md").unlink()
    result = run("--course", "layanan-dasar", "--lesson", "ujian")
    assert result.exit_code == 1 and "belum punya exam.md" in result.output


def test_a_file_with_nothing_convertible_changes_nothing(import_gift, tmp_path):
    run, folder = import_gift
    gift = tmp_path / "esai.gift"
    gift.write_text("::Esai::Jelaskan. {}\n", encoding="utf-8")
    before = (folder / "01-pengantar.md").read_bytes()
    result = run("--course", "layanan-dasar", "--lesson", "pengantar", gift=gift)
    assert result.exit_code == 1
    assert "Tidak ada soal yang dapat dikonversi" in result.output
    assert (folder / "01-pengantar.md").read_bytes() == before


def test_a_file_that_is_not_utf8_is_explained(import_gift, tmp_path):
    run, _ = import_gift
    gift = tmp_path / "latin.gift"
    gift.write_bytes("::Soal::Café {T}\n".encode("latin-1"))
    result = run("--course", "layanan-dasar", "--lesson", "pengantar", gift=gift)
    assert result.exit_code == 1 and "bukan teks UTF-8" in result.output


def test_html_links_stay_images_are_dropped_with_a_note():
    gift = (
        '::Tautan::[html]<p>Baca <a href="https://jdih.slemankab.go.id">JDIH</a> '
        '<a href="javascript:alert(1)">ini</a> <img src="https://contoh.id/x.png" alt="bagan"></p>{T}'
    )
    result = convert_gift(gift)
    question = questions_of(result.markdown())["tautan"]
    assert question.text == "Baca [JDIH](https://jdih.slemankab.go.id) ini bagan"
    assert "javascript" not in result.markdown() and "contoh.id" not in result.markdown()
    assert "gambar dari HTML dibuang" in result.notes[0].message


def test_raw_html_in_markdown_text_is_dropped():
    result = convert_gift("::Md::[markdown]Apakah **ini** aman?<script>alert(1)</script><b>x</b> {T}")
    assert questions_of(result.markdown())["md"].text == "Apakah **ini** aman?x"
    assert "<" not in result.markdown() and "alert" not in result.markdown()
    assert "tag HTML" in result.notes[0].message


def test_a_question_the_checker_refuses_is_skipped_not_written():
    # one pair is not a matching question in the course format (it needs two)
    result = convert_gift("::Satu pasang::Jodohkan. {=ASN -> Aparatur Sipil Negara}\n\n::Baik::Benar? {T}\n")
    assert [c.id for c in result.converted] == ["baik"]
    assert result.skipped[0].line == 1
    assert result.skipped[0].reason.startswith("hasil konversi ditolak pemeriksa: ")


def test_a_moodle_export_in_html_is_converted():
    """Moodle exports HTML text, '=%100%' weights, empty '#' feedback and '~#' numeric feedback."""
    result = convert_gift((FIXTURES / "gift" / "ekspor-moodle.gift").read_text(encoding="utf-8"))
    questions = questions_of(result.markdown())
    assert list(questions) == [
        "maklumat",
        "kode-pos",
        "hari-kerja",
        "tanda-tangan-elektronik",
        "pilih-perangkat",
        "rasio",
    ]
    maklumat = questions["maklumat"]
    assert maklumat.text == "Apa isi **maklumat pelayanan**?"
    assert maklumat.options == (
        "Pernyataan kesanggupan penyelenggara melayani sesuai standar",
        "Daftar tarif retribusi &amp; denda",
    )
    assert "retribusi &amp; denda" in maklumat.options_html[1]
    assert maklumat.feedback == ("Benar.", "Tarif hanya salah satu komponen standar.")
    assert maklumat.explanation == "Maklumat dipajang di tempat layanan."
    assert (questions["kode-pos"].type, questions["kode-pos"].correct) == ("numeric", (55281, 0))
    assert questions["hari-kerja"].correct == (5, 0)
    tte = questions["tanda-tangan-elektronik"]
    assert (tte.correct, tte.feedback) == ((0,), ("Tepat.", "Coba baca lagi aturan TTE."))
    assert questions["pilih-perangkat"].correct == (0, 1)
    assert questions["rasio"].correct == pytest.approx((0.00005, 0.00001))
    assert result.skipped == []
    notes = {(note.title, note.message) for note in result.notes}
    assert ("Kode pos", "1 jawaban isian berkredit sebagian dibuang (hanya yang 100% dipakai)") in notes
    assert ("Hari kerja", "1 jawaban angka berkredit sebagian atau salah dibuang") in notes


def test_true_false_letters_are_case_sensitive_as_in_moodle():
    result = convert_gift("::Kata::Tulis kata 'true'. {true}\n")
    assert questions_of(result.markdown())["kata"].correct == ("true",)


def test_a_question_right_under_a_category_line_is_still_converted():
    result = convert_gift("$CATEGORY: $course$/Etika\n::Lapor::Gratifikasi wajib dilaporkan. {T}\n")
    assert [(c.line, c.id) for c in result.converted] == [(2, "lapor")]
    assert result.notes[0].line == 1 and "$course$/Etika" in result.notes[0].message


GIFT_PIECES = st.sampled_from(
    [
        "::",
        "{",
        "}",
        "=",
        "~",
        "#",
        "####",
        "->",
        "%50%",
        "%-100%",
        ":",
        "..",
        "\\",
        "\\=",
        "\\{",
        "\\n",
        "\n",
        "\n\n",
        "//",
        "$CATEGORY:",
        "[html]",
        "[markdown]",
        "[plain]",
        "<b>",
        "</b>",
        "<script>",
        "T",
        "FALSE",
        "3.5",
        "1",
        "-",
        "- ( )",
        "1. ",
        "### ",
        "[[",
        "]]",
        " ",
        "soal",
        "Jawab",
        "=>",
        "`",
        "*",
        "<img src=x>",
        "&amp;",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(GIFT_PIECES, max_size=40).map("".join))
def test_any_text_converts_without_error_into_markdown_the_parser_reads(text):
    result = convert_gift(text)
    questions = questions_of(result.markdown()) if result.converted else {}
    assert list(questions) == [c.id for c in result.converted]
    assert all(item.line >= 1 for item in [*result.skipped, *result.notes, *result.converted])
