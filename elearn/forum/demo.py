"""A few discussions for the demo accounts, so `flask demo` shows the feature (made once)."""

from __future__ import annotations

from sqlalchemy import select

from ..catalog import Catalog
from ..extensions import db
from .models import Post, Thread
from .posting import reply, start_thread
from .rules import Place

# (course id, lesson id or None, title, [(author index, text), ...]); authors index the accounts given.
DISCUSSIONS = (
    (
        "komunikasi-efektif",
        "melayani-di-loket",
        "Warga datang tanpa berkas lengkap: bagaimana menolaknya dengan santun?",
        [
            (0, "Di loket kapanewon kami sering ada warga yang sudah antre lama, lalu ternyata fotokopi KK-nya "
                "tertinggal. Kalimat apa yang Bapak/Ibu pakai supaya warga tidak merasa diusir?"),
            (2, "Coba mulai dari apa yang **sudah** lengkap, baru sebutkan satu hal yang kurang. Misalnya: "
                "\"Formulir Ibu sudah benar semua, tinggal fotokopi KK. Besok Ibu boleh langsung ke meja ini tanpa "
                "antre dari awal.\"\n\nJanji kecil seperti itu membuat penolakan terasa sebagai bantuan."),
            (1, "Setuju. Kami juga menempel daftar syarat di dinding antrean dan membagikan lembar cek sebelum "
                "warga mengambil nomor. Sejak itu jumlah berkas yang kembali turun hampir separuh."),
        ],
    ),
    (
        "manajemen-waktu",
        None,
        "Berbagi: rapat 15 menit berdiri tiap Senin pagi",
        [
            (1, "Di unit kami rapat koordinasi Senin dulu bisa dua jam. Sekarang kami rapat berdiri 15 menit: "
                "tiap orang menyebut satu prioritas minggu ini dan satu hambatan. Hambatan dibahas sesudahnya oleh "
                "yang berkepentingan saja.\n\n- Mulai tepat waktu, walau belum lengkap\n- Notulen cukup tiga baris"),
            (0, "Kami mencobanya dua minggu ini. Yang paling terasa: pekerjaan surat keluar tidak lagi menumpuk di "
                "hari Jumat karena prioritasnya sudah jelas sejak Senin."),
        ],
    ),
)  # fmt: skip


def seed_discussions(catalog: Catalog, authors: list) -> int:
    """Write the demo discussions whose course and lesson exist, unless already there; return threads made."""
    made = 0
    for course_id, lesson_id, title, posts in DISCUSSIONS:
        course = catalog.course(course_id)
        lesson = course.lesson(lesson_id) if course and lesson_id else None
        if course is None or (lesson_id and lesson is None):
            continue
        nonce = f"demo-{course_id}-{lesson_id or 'forum'}"
        if db.session.execute(select(Post.id).where(Post.nonce == f"{nonce}-0")).first():
            continue
        (first_author, first_text), *rest = posts
        first = start_thread(Place(course, lesson, True), authors[first_author], title, first_text, f"{nonce}-0")
        thread = db.session.get(Thread, first.thread_id)
        for number, (author, text) in enumerate(rest, start=1):
            reply(thread, authors[author], text, f"{nonce}-{number}")
        made += 1
    return made
