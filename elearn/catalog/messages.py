"""Every message of the course checker: a stable code -> the Indonesian text trainers read.

The code never changes once released (scripts read it from ``flask courses check --json``);
the text may be improved at any time. Each message says what is wrong and what to do.
docs/course-format.md lists every code; tests/test_messages.py keeps the two in step.
"""

from __future__ import annotations

# Problems: the course is hidden from learners until they are fixed.
ERRORS: dict[str, str] = {
    # files and folders
    "courses-folder-missing": "folder kursus tidak ditemukan: periksa nama folder yang diberikan",
    "course-unreadable": "kursus tidak bisa dibaca ({error}): laporkan kepada pengelola aplikasi",
    "course-folder-name": (
        "nama folder kursus hanya boleh memakai a-z, 0-9 dan '-', paling panjang {limit} karakter "
        "(nama folder adalah id kursus): ganti nama foldernya"
    ),
    "course-md-missing": "course.md tidak ada: setiap kursus memerlukannya, buat berkas itu di folder kursus",
    "course-no-lessons": "kursus belum punya pelajaran: tambahkan berkas bernama 01-id-pelajaran.md",
    "lesson-file-name": (
        "nama berkas pelajaran harus NN-id-pelajaran.md (angka, '-', lalu a-z, 0-9 dan '-'): ganti namanya"
    ),
    "lesson-id-reserved": (
        "id pelajaran '{lesson_id}' tidak boleh dipakai atau terlalu panjang (bukan {reserved}; "
        "paling panjang {limit} karakter): ganti nama berkasnya"
    ),
    "lesson-id-duplicate": "id pelajaran '{lesson_id}' juga dipakai oleh {other}: beri salah satunya id lain",
    "file-unreadable": "berkas tidak bisa dibaca ({reason}): periksa izin berkasnya",
    "file-not-utf8": "berkas bukan UTF-8: simpan ulang sebagai UTF-8 di penyunting teks Anda",
    # front matter
    "front-matter-missing": "front matter tidak ada: awali berkas dengan baris '---', lalu {keys}",
    "front-matter-unclosed": "front matter tidak ditutup: tambahkan baris '---' sesudahnya",
    "front-matter-yaml": (
        "front matter bukan YAML yang sah ({reason}): periksa titik dua dan tanda kutip, "
        "teks yang memuat titik dua ditulis di antara tanda kutip"
    ),
    "front-matter-not-mapping": "front matter harus berupa baris 'kunci: nilai'",
    "front-matter-unknown-key": "kunci front matter '{key}' tidak dikenal (yang boleh: {allowed}): periksa ejaannya",
    "front-matter-key-missing": "kunci front matter '{key}' wajib ada: tambahkan di antara kedua baris '---'",
    "value-not-text": "'{key}' harus berupa teks yang tidak kosong",
    "value-not-positive": "'{key}' harus berupa bilangan bulat lebih dari 0",
    "value-not-whole": "'{key}' harus berupa bilangan bulat",
    "value-not-percent": "'{key}' harus berupa bilangan bulat dari 1 sampai 100 (persen)",
    "value-not-boolean": "'{key}' harus true atau false",
    "value-not-allowed": "'{key}' harus salah satu dari: {allowed}",
    "value-not-days": "'{key}' harus berupa bilangan bulat hari dari 7 sampai 365",
    "value-not-text-list": "'{key}' harus berupa daftar teks (setiap butir diawali '- ')",
    # lesson text and links
    "image-remote": (
        "gambar harus berupa berkas di assets/: gambar dari situs lain tidak ditampilkan "
        "(situs itu akan tahu siapa yang membaca pelajaran), simpan gambarnya di assets/"
    ),
    "asset-link-invalid": "tautan '{link}' bukan nama berkas yang sah: ganti nama berkasnya",
    "asset-link-outside": "tautan '{link}' menunjuk ke luar assets/: simpan berkasnya di assets/ kursus ini",
    "asset-missing": "berkas tertaut '{link}' tidak ada: periksa nama berkasnya atau tambahkan ke assets/",
    "quiz-heading-near-miss": (
        "'{heading}' bukan judul kuis: tulis tepat '## Kuis', karena kalau tidak soalnya tampil sebagai bacaan"
    ),
    "lesson-text-option": "opsi jawaban '- ( )' di teks pelajaran: letakkan soal sesudah judul '## Kuis'",
    # quizzes and questions
    "quiz-stray-heading": "sesudah judul kuis hanya boleh ada judul soal ###: pindahkan bagian ini ke atas '## Kuis'",
    "quiz-empty": "judul kuis tanpa soal: tulis setiap soal sebagai judul ###",
    "exam-no-quiz-heading": "exam.md tidak punya judul '## Kuis': letakkan bank soal sesudah judul itu",
    "exam-draw-exceeds-pool": (
        "questions_per_attempt bernilai {draw}, padahal bank soal hanya berisi {pool} soal: "
        "kecilkan nilainya atau tambah soal"
    ),
    "question-id-duplicate": "id soal '{qid}' ganda (sudah dipakai di baris {first}): beri id lain",
    "question-id-invalid": "id soal '{qid}' hanya boleh memakai a-z, 0-9, '-' dan '_'",
    "question-id-too-long": "id soal '{qid}…' lebih dari {limit} karakter: pendekkan",
    "question-points-invalid": "points harus bilangan bulat lebih dari 0, bukan '{value}'",
    "question-attribute-unknown": "atribut soal '{token}' tidak dikenal (tulis {{#id points=N}})",
    "question-no-text": "judul soal tanpa teks: tulis pertanyaannya sesudah '###'",
    "question-no-answers": "{label} tidak punya jawaban: tambahkan opsi, baris '=' atau isian [[...]]",
    "question-mixed-answers": (
        "{label} mencampur opsi, jawaban '=', daftar bernomor (atau pasangan '=>'): pakai satu jenis saja"
    ),
    "explanation-stray-text": "{label}: teks sesudah penjelasan harus menjadi bagiannya (awali barisnya dengan '>')",
    "answer-line-unrecognised": (
        "{label}: baris ini bukan opsi ('- ( )', '- [ ]'), jawaban '=', butir bernomor, "
        "pasangan 'kiri => kanan', maupun penjelasan ('> ...')"
    ),
    "answer-duplicate": "{label} memuat jawaban yang sama dua kali: '{text}'; hapus salah satunya",
    "choice-mixed-markers": "{label} mencampur opsi '( )' dan '[ ]': pakai ( ) untuk satu jawaban, [ ] untuk beberapa",
    "choice-too-few-options": "{label} memerlukan paling sedikit dua opsi",
    "choice-no-correct": "{label} tidak punya opsi benar: tandai dengan {marker}",
    "choice-several-correct": (
        "{label} punya {count} opsi bertanda (x): tandai satu saja, atau pakai [x] untuk beberapa"
    ),
    "cloze-blank-empty": "{label}: isian ke-{number} kosong ('[[]]'): tulis jawabannya di antara [[ dan ]]",
    "cloze-blank-in-link": "{label}: isian tidak boleh berada di dalam tautan, gambar atau kode",
    "matching-item-without-pair": "{label}: butir tanpa '=>' di antara pasangan menjodohkan: tulis 'kiri => kanan'",
    "matching-right-empty": "{label}: butir sesudah '=>' kosong: tulis pasangannya",
    "matching-too-few-pairs": "{label} memerlukan paling sedikit dua pasangan 'kiri => kanan'",
    "matching-left-duplicate": (
        "{label}: butir kiri '{left}' ditulis dua kali (pertama di baris {first}): hapus salah satunya"
    ),
    "ordering-too-few-items": (
        "{label} memerlukan paling sedikit tiga butir untuk diurutkan (untuk dua hal, pakai soal benar/salah)"
    ),
    "numeric-too-long": "{label}: angkanya terlalu panjang; tulis paling banyak 40 karakter",
    "numeric-negative-tolerance": "{label}: toleransi sesudah '+-' tidak boleh negatif",
    "short-answer-empty": "{label} punya jawaban '=' yang kosong: isi atau hapus barisnya",
    "short-answer-tolerance": "{label}: toleransi ('+-') hanya untuk satu jawaban angka seperti '= 42 +- 2'",
    # the reaction survey's items (courses/_survei.yaml, courses/<course>/survei.yaml)
    "survey-too-deep": "berkas survei bersarang terlalu dalam: tulis daftar pertanyaan yang datar di bawah 'items:'",
    "survey-yaml": "berkas survei bukan YAML yang benar ({reason}): periksa titik dua, tanda kutip dan indentasi",
    "survey-not-mapping": "berkas survei harus berisi kunci 'items:' dengan daftar pertanyaan",
    "survey-unknown-key": "kunci '{key}' tidak dikenal di berkas survei (yang boleh: items): periksa ejaannya",
    "survey-items-missing": "kunci 'items:' tidak ada: tulis daftar pertanyaan di bawahnya",
    "survey-items-not-list": "'items' harus berupa daftar pertanyaan, tiap pertanyaan diawali '- '",
    "survey-too-many-items": "paling banyak {limit} pertanyaan dalam satu berkas survei: kurangi pertanyaannya",
    "survey-id-duplicate": "id '{item_id}' sudah dipakai di baris {first}: beri pertanyaan ini id lain",
    "survey-id-common": "id '{item_id}' sudah dipakai survei umum ({file}): pilih id lain",
    "survey-item-not-mapping": "setiap pertanyaan harus berisi 'id:' dan 'text:' (dan boleh 'type:')",
    "survey-item-unknown-key": "kunci '{key}' tidak dikenal (yang boleh: {allowed}): periksa ejaannya",
    "survey-item-empty": "'{key}' harus berisi teks",
    "survey-item-key-missing": "pertanyaan ini tidak punya '{key}:': tambahkan",
    "survey-item-id": "id '{item_id}' hanya boleh berisi a-z, 0-9 dan '-', paling panjang {limit} karakter",
    "survey-item-text-long": (
        "teks pertanyaan '{item_id}' terlalu panjang ({length} karakter, paling banyak {limit}): persingkat"
    ),
    "survey-item-type": "type '{kind}' tidak dikenal: pakai 'likert' (skala 1-5) atau 'open' (jawaban bebas)",
}

# Item-writing warnings: shown to trainers, never hide a course. Each can be silenced for one
# question with ``<!-- abaikan CODE: alasan -->`` (see docs/course-format.md).
WARNINGS: dict[str, str] = {
    "key-longest": (
        "kunci adalah satu-satunya opsi terpanjang pada {count} dari {total} soal pilihan tunggal kuis ini "
        "(lebih dari {limit}%): baris {lines}; peserta bisa menebak dari panjangnya, samakan panjang opsi"
    ),
    "key-shortest": (
        "kunci adalah satu-satunya opsi terpendek pada {count} dari {total} soal pilihan tunggal kuis ini "
        "(lebih dari {limit}%): baris {lines}; peserta bisa menebak dari panjangnya, samakan panjang opsi"
    ),
    "true-false-one-way": (
        "{count} dari {total} soal benar/salah kuis ini berkunci '{key}' (baris {lines}): "
        "imbangkan kuncinya agar peserta tidak menebak"
    ),
    "option-all-or-none": (
        "{label} memakai opsi '{option}': opsi seperti ini bisa dijawab tanpa memahami materi, "
        "ganti dengan pengecoh yang masuk akal"
    ),
    "negative-stem-plain": (
        "{label} berbentuk negatif ('{word}') tanpa penekanan: tulis kata itu **tebal** agar tidak terlewat, "
        "atau ubah menjadi kalimat positif"
    ),
    "explanation-missing": "{label} belum punya penjelasan: tambahkan kutipan '> ...' sesudah jawabannya",
    "exam-pool-small": (
        "bank soal ujian ({pool} soal) kurang dari dua kali jumlah soal per percobaan ({draw}): "
        "post-test akan banyak mengulang soal pre-test, tambah soal atau kecilkan questions_per_attempt"
    ),
    "silence-without-reason": (
        "penanda 'abaikan {marked}' tanpa alasan: tulis alasannya sesudah titik dua, "
        "mis. <!-- abaikan {marked}: alasannya -->"
    ),
    "silence-misplaced": "penanda 'abaikan {marked}' salah tempat dan tidak berlaku: letakkan {where}",
    "silence-unknown-code": "penanda 'abaikan {marked}' memakai kode peringatan yang tidak dikenal: periksa ejaannya",
}

MESSAGES: dict[str, str] = {**ERRORS, **WARNINGS}


def message(code: str, **params: object) -> str:
    """Return the Indonesian text of ``code`` with its parameters filled in (KeyError: unknown code)."""
    return MESSAGES[code].format(**params)


def question_label(text: str) -> str:
    """How a message names a question: its heading text, cut short."""
    return f'soal "{text if len(text) <= 60 else text[:59] + "…"}"'
