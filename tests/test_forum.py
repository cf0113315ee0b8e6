"""Lesson discussions and course forums: who reads and writes, sanitising, moderation, reports,
read marks, the posting limit, lengths, double submits, pagination and queries per page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.forum import posting
from elearn.forum.models import Post, PostReport, Thread, ThreadRead
from elearn.forum.rules import find_place
from elearn.models import AuditEvent, User
from tests.conftest import csrf_token, login, post
from tests.factories import make_nip, make_unit, make_user
from tests.test_queries import statements, writes

FORUM = "/diskusi/layanan-dasar/"
LESSON_FORUM = "/diskusi/layanan-dasar/pelajaran/pengantar"
NONCE = re.compile(r'name="nonce" type="hidden" value="([^"]+)"')
HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="javascript:alert(1)" onclick="alert(2)">tautan</a>',
    '<div onmouseover="alert(1)">arahkan</div>',
    "![gambar](https://pelacak.example/piksel.png)",
    '<iframe src="https://example.com"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '[a](https://example.com "judul" onclick="x")',
]


class _Markup(HTMLParser):
    """Collects what a browser would act on: tags that run or load things, handlers, script links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"script", "img", "iframe", "svg", "object", "embed", "style", "form", "input"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in {"href", "src"} and re.match(r"\s*(javascript|data|vbscript):", value or "", re.I):
                self.found.append(f"{tag} {name}={value}")
            if tag == "a" and name == "rel" and value != "nofollow ugc noopener":
                self.found.append(f"a rel={value}")


def unsafe_markup(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    return parser.found


class Person:
    """A logged-in browser of one user."""

    def __init__(self, app, role: str = "asn", name: str = "Rina Astuti", unit: str = "Dinas Kesehatan"):
        self.user = make_user(role=role, name=name, unit=unit)
        self.client = app.test_client()
        assert login(self.client, self.user.nip).status_code == 302

    def get(self, url: str):
        return self.client.get(url)

    def html(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    def form_nonce(self, url: str) -> str:
        return NONCE.search(self.html(url)).group(1)

    def post(self, url: str, data: dict | None = None):
        return post(self.client, url, data)

    def open_thread(self, title: str = "Antrean pelayanan pagi", body: str = "Bagaimana unit Anda mengatur antrean?",
                    where: str = FORUM):  # fmt: skip
        response = self.post(where, {"title": title, "body": body, "nonce": self.form_nonce(where)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return db.session.execute(select(Thread).order_by(Thread.id.desc())).scalars().first()

    def reply(self, thread: Thread, body: str = "Kami memakai nomor antrean tertulis."):
        nonce = self.form_nonce(f"/diskusi/topik/{thread.id}")
        return self.post(f"/diskusi/topik/{thread.id}/balas", {"body": body, "nonce": nonce})


@pytest.fixture
def person(app):
    return lambda role="asn", name="Rina Astuti", unit="Dinas Kesehatan": Person(app, role, name, unit)


def quick_user(name: str = "Budi Santoso", unit: str = "Kapanewon Depok") -> User:
    """A user who only writes through the services (never logs in): no slow password hash."""
    user = User(nip=make_nip(), name=name, unit=make_unit(unit), password_hash="-", must_change_password=False)
    db.session.add(user)
    db.session.commit()
    return user


def seed_thread(author, replies: int = 0, lesson_id: str | None = None, title: str = "Topik", replier=None) -> Thread:
    """A thread with ``replies`` replies by a second person, written straight through the service."""
    place = find_place("layanan-dasar", lesson_id, author)
    first = posting.start_thread(place, author, title, "Pembuka topik.", f"seed-{title}-{author.id}")
    thread = db.session.get(Thread, first.thread_id)
    if replies:
        replier = replier or quick_user()
    for n in range(replies):
        posting.reply(thread, replier, f"Balasan nomor {n + 1}.", f"seed-{thread.id}-{n}")
    return thread


# --- reading and writing -------------------------------------------------------------


def test_a_learner_opens_a_thread_and_a_colleague_sees_name_unit_and_time(person):
    rina = person()
    thread = rina.open_thread()
    budi = person(name="Budi Santoso", unit="Kapanewon Depok")
    assert budi.reply(thread).status_code == 302
    page = rina.html(f"/diskusi/topik/{thread.id}")
    assert "Rina Astuti" in page and "Dinas Kesehatan" in page
    assert "Budi Santoso" in page and "Kapanewon Depok" in page
    assert "Kami memakai nomor antrean tertulis." in page
    assert re.search(r"\d{1,2} \w+ \d{4}, \d{2}\.\d{2} WIB", page)
    assert "Antrean pelayanan pagi" in rina.html(FORUM)


def test_a_lesson_discussion_is_separate_from_the_course_forum_and_counted_on_the_lesson_page(person):
    rina = person()
    assert "(0 pesan)" in rina.html("/kursus/layanan-dasar/pengantar")
    thread = rina.open_thread(title="Pertanyaan pengantar", where=LESSON_FORUM)
    person(name="Budi").reply(thread)
    assert thread.lesson_id == "pengantar"
    assert "Pertanyaan pengantar" in rina.html(LESSON_FORUM)
    assert "Pertanyaan pengantar" not in rina.html(FORUM)
    lesson_page = rina.html("/kursus/layanan-dasar/pengantar")
    assert "(2 pesan)" in lesson_page and LESSON_FORUM in lesson_page
    assert "(0 pesan)" in rina.html("/kursus/layanan-dasar/prioritas")


def test_the_forum_is_reached_from_the_course_page_and_the_supervisors_dashboard(person):
    assert FORUM in person().html("/kursus/layanan-dasar/")
    assert FORUM in person("supervisor", name="Atasan").html("/atasan")


def test_anonymous_visitors_neither_read_nor_write(client, app):
    thread = seed_thread(make_user())
    for url in (FORUM, LESSON_FORUM, f"/diskusi/topik/{thread.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    response = client.post(f"/diskusi/topik/{thread.id}/balas", data={"csrf_token": csrf_token(client), "body": "x"})
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/diskusi/tidak-ada/",
        "/diskusi/layanan-dasar/pelajaran/tidak-ada",
        "/diskusi/topik/999999",
        "/diskusi/topik/99999999999",
    ],
)
def test_unknown_courses_lessons_and_threads_are_404(person, url):
    assert person().get(url).status_code == 404


def test_a_hidden_course_is_discussed_by_its_trainers_only(editable_courses):
    app, courses = editable_courses
    (courses / "layanan-dasar" / "course.md").write_text("---\ntitle: Rusak\n---\n")  # no summary, no jp: hidden
    learner = Person(app)
    trainer = Person(app, "trainer", name="Dewi Pelatih")
    assert learner.get(FORUM).status_code == 404
    assert trainer.get(FORUM).status_code == 200
    thread = trainer.open_thread()
    assert learner.get(f"/diskusi/topik/{thread.id}").status_code == 404
    assert learner.post(f"/diskusi/topik/{thread.id}/balas", {"body": "x", "nonce": "n1"}).status_code == 404


# --- sanitising ----------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_script_event_handler_javascript_link_or_image_survives_a_post(person, hostile):
    rina = person()
    thread = rina.open_thread(title=f"Judul {hostile}"[:150], body=hostile)
    rina.reply(thread, body=f"Balasan {hostile}")
    stored = db.session.execute(select(Post.body_html).where(Post.thread_id == thread.id)).scalars().all()
    page = rina.html(f"/diskusi/topik/{thread.id}")
    article = page[page.index("<h1>") : page.index('id="balas"')]
    listing = rina.html(FORUM)
    listing = listing[listing.index("<h1>") : listing.index('id="topik-baru"')]
    for html in [*stored, article, listing]:
        assert unsafe_markup(html) == [], html


def test_links_in_posts_are_nofollow_ugc_noopener_and_markdown_is_rendered(person):
    rina = person()
    thread = rina.open_thread(body="Lihat **panduan** di [situs BKPP](https://bkpp.slemankab.go.id/).\n\n- satu\n- dua")
    html = db.session.execute(select(Post.body_html).where(Post.thread_id == thread.id)).scalar_one()
    assert '<a href="https://bkpp.slemankab.go.id/" rel="nofollow ugc noopener">situs BKPP</a>' in html
    assert "<strong>panduan</strong>" in html and "<li>satu</li>" in html


def test_raw_html_is_shown_as_text_not_dropped(person):
    rina = person()
    thread = rina.open_thread(body="Pakai tag <b>tebal</b> dan <marquee>")
    html = db.session.execute(select(Post.body_html).where(Post.thread_id == thread.id)).scalar_one()
    assert "&lt;b&gt;tebal&lt;/b&gt;" in html and "&lt;marquee&gt;" in html


# --- lengths, bad input, double submits ----------------------------------------------


def test_a_too_long_post_is_refused_with_a_message_and_the_text_is_kept(person):
    rina = person()
    body = "Pengalaman kami. " * 300  # 5,100 characters
    response = rina.post(FORUM, {"title": "Judul yang wajar", "body": body, "nonce": rina.form_nonce(FORUM)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pesan paling panjang 5.000 karakter (sekarang 5.099)" in page
    assert body.strip() in page and 'value="Judul yang wajar"' in page
    assert db.session.execute(select(func.count(Thread.id))).scalar_one() == 0


def test_a_too_long_title_and_an_empty_reply_are_refused_in_indonesian(person):
    rina = person()
    response = rina.post(FORUM, {"title": "J" * 151, "body": "Isi", "nonce": rina.form_nonce(FORUM)})
    assert response.status_code == 400
    assert "Judul paling panjang 150 karakter (sekarang 151)" in response.get_data(as_text=True)
    thread = rina.open_thread()
    response = rina.reply(thread, body="   \r\n ")
    assert response.status_code == 400 and "Tulis pesan Anda terlebih dahulu." in response.get_data(as_text=True)
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == 1


def test_a_nul_character_does_not_break_the_database(person):
    rina = person()
    thread = rina.open_thread(body="Sebelum\x00sesudah")
    assert db.session.execute(select(Post.body).where(Post.thread_id == thread.id)).scalar_one() == "Sebelumsesudah"


def test_the_same_form_sent_twice_makes_one_post(person):
    rina = person()
    thread = rina.open_thread()
    url = f"/diskusi/topik/{thread.id}"
    nonce = rina.form_nonce(url)
    first = rina.post(f"{url}/balas", {"body": "Sekali saja.", "nonce": nonce})
    second = rina.post(f"{url}/balas", {"body": "Sekali saja.", "nonce": nonce})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.execute(select(func.count(Post.id)).where(Post.body == "Sekali saja.")).scalar_one() == 1
    nonce = rina.form_nonce(FORUM)
    for _ in range(2):
        rina.post(FORUM, {"title": "Topik ganda?", "body": "Isi", "nonce": nonce})
    assert db.session.execute(select(func.count(Thread.id)).where(Thread.title == "Topik ganda?")).scalar_one() == 1


# --- the posting limit ---------------------------------------------------------------


def test_posting_is_limited_per_account_and_a_refused_post_keeps_its_text(app_factory):
    app = app_factory(FORUM_RATE_LIMIT="2 per minute")
    with app.app_context():
        rina = Person(app)
        thread = rina.open_thread()  # 1
        assert rina.reply(thread, "").status_code == 400  # a refused form does not count
        assert rina.reply(thread, "Balasan kedua.").status_code == 302  # 2
        response = rina.reply(thread, "Balasan ketiga yang tertahan.")
        page = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Anda mengirim terlalu banyak pesan dalam waktu singkat. Tunggu sekitar satu menit" in page
        assert "Balasan ketiga yang tertahan." in page
        response = rina.post(FORUM, {"title": "Topik baru lagi", "body": "Isi topik", "nonce": "n-limit"})
        assert response.status_code == 429 and 'value="Topik baru lagi"' in response.get_data(as_text=True)
        budi = Person(app, name="Budi")  # another account has its own budget
        assert budi.reply(thread, "Balasan Budi.").status_code == 302
        assert db.session.execute(select(func.count(Post.id))).scalar_one() == 3


# --- moderation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("asn", False), ("supervisor", False), ("trainer", True), ("admin", True)]
)
def test_only_trainers_and_admins_pin_lock_and_hide(person, role, allowed):
    thread = seed_thread(quick_user(name="Penulis"), replies=1)
    reply = (
        db.session.execute(select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc())).scalars().first()
    )
    someone = person(role, name="Orang")
    outcomes = [
        someone.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "pin"}).status_code,
        someone.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "lock"}).status_code,
        someone.post(f"/diskusi/pesan/{reply.id}/moderasi", {"action": "hide", "reason": "Tidak sopan"}).status_code,
    ]
    db.session.expire_all()
    thread, reply = db.session.get(Thread, thread.id), db.session.get(Post, reply.id)
    if allowed:
        assert outcomes == [302, 302, 302]
        assert thread.pinned and thread.locked and reply.is_hidden and reply.hidden_reason == "Tidak sopan"
        actions = db.session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
        assert actions == ["forum.thread_pin", "forum.thread_lock", "forum.post_hide"]
    else:
        assert outcomes == [403, 403, 403]
        assert not (thread.pinned or thread.locked or reply.is_hidden)
        assert db.session.execute(select(func.count(AuditEvent.id))).scalar_one() == 0


def test_hiding_needs_a_reason_which_goes_into_the_audit_trail(person):
    thread = seed_thread(quick_user(name="Penulis"))
    trainer = person("trainer", name="Dewi Pelatih")
    response = trainer.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "hide", "reason": ""})
    assert response.status_code == 302
    assert "Tuliskan alasan menyembunyikan" in trainer.html(f"/diskusi/topik/{thread.id}")
    assert not db.session.get(Thread, thread.id).is_hidden
    trainer.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "hide", "reason": "Promosi dagangan"})
    event = db.session.execute(select(AuditEvent)).scalar_one()
    assert event.action == "forum.thread_hide" and event.actor_name == "Dewi Pelatih"
    assert "Promosi dagangan" in event.summary and event.before["hidden"] is False and event.after["hidden"] is True
    admin = person("admin", name="Admin BKPP")
    assert "Promosi dagangan" in admin.html("/admin/log?aksi=forum.thread_hide")


def test_an_unknown_moderation_action_changes_nothing_and_says_so(person):
    thread = seed_thread(quick_user(name="Penulis"))
    trainer = person("trainer", name="Dewi Pelatih")
    trainer.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "delete", "reason": "x"})
    assert "Tindakan moderasi tidak dikenal." in trainer.html(f"/diskusi/topik/{thread.id}")
    assert db.session.execute(select(func.count(AuditEvent.id))).scalar_one() == 0


def test_a_hidden_post_is_invisible_to_learners_and_greyed_with_its_reason_for_moderators(person):
    rina = person()
    thread = rina.open_thread()
    budi = person(name="Budi Santoso")
    budi.reply(thread, "Pesan kasar yang akan disembunyikan.")
    hidden = db.session.execute(select(Post).order_by(Post.id.desc())).scalars().first()
    trainer = person("trainer", name="Dewi Pelatih")
    trainer.post(f"/diskusi/pesan/{hidden.id}/moderasi", {"action": "hide", "reason": "Bahasa kasar"})
    for learner in (rina, budi):
        page = learner.html(f"/diskusi/topik/{thread.id}")
        assert "Pesan kasar yang akan disembunyikan." not in page and "Bahasa kasar" not in page
        assert "Pesan ini disembunyikan moderator." in page
    page = trainer.html(f"/diskusi/topik/{thread.id}")
    assert "Pesan kasar yang akan disembunyikan." in page and "Alasan: Bahasa kasar" in page and "is-hidden" in page
    trainer.post(f"/diskusi/pesan/{hidden.id}/moderasi", {"action": "unhide"})
    assert "Pesan kasar yang akan disembunyikan." in rina.html(f"/diskusi/topik/{thread.id}")


def test_a_hidden_thread_disappears_for_learners_and_stays_for_moderators(person):
    rina = person()
    thread = rina.open_thread(title="Topik yang disembunyikan")
    trainer = person("trainer", name="Dewi Pelatih")
    trainer.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "hide", "reason": "Di luar topik"})
    assert "Topik yang disembunyikan" not in rina.html(FORUM)
    assert rina.get(f"/diskusi/topik/{thread.id}").status_code == 404
    assert "Topik yang disembunyikan" in trainer.html(FORUM) and "Di luar topik" in trainer.html(FORUM)


def test_a_locked_thread_takes_no_learner_replies_but_keeps_the_typed_text(person):
    rina = person()
    thread = rina.open_thread()
    trainer = person("trainer", name="Dewi Pelatih")
    trainer.post(f"/diskusi/topik/{thread.id}/moderasi", {"action": "lock"})
    response = rina.post(f"/diskusi/topik/{thread.id}/balas", {"body": "Masih mau menambahkan.", "nonce": "n-locked"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "Topik ini dikunci moderator" in page
    assert "Masih mau menambahkan." in page  # kept to copy, nothing lost
    assert trainer.reply(thread, "Catatan penutup dari pelatih.").status_code == 302
    assert db.session.execute(select(func.count(Post.id))).scalar_one() == 2


def test_pinned_threads_come_first(person):
    author = quick_user(name="Penulis")
    first = seed_thread(author, title="Topik lama yang penting")
    seed_thread(author, title="Topik baru")
    trainer = person("trainer", name="Dewi Pelatih")
    page = trainer.html(FORUM)
    assert page.index("Topik baru") < page.index("Topik lama yang penting")
    trainer.post(f"/diskusi/topik/{first.id}/moderasi", {"action": "pin"})
    page = trainer.html(FORUM)
    assert page.index("Topik lama yang penting") < page.index("Topik baru")


# --- reports -------------------------------------------------------------------------


def test_anyone_reports_a_post_once_and_moderators_handle_the_queue(person):
    rina = person()
    thread = rina.open_thread(body="Isi yang dipersoalkan.")
    opening = db.session.execute(select(Post).where(Post.thread_id == thread.id)).scalar_one()
    budi = person(name="Budi")
    target = f"/diskusi/pesan/{opening.id}/laporkan"
    assert budi.post(target, {"reason": "Menyinggung"}).status_code == 302
    budi.post(target, {"reason": "Lagi"})
    assert "Anda sudah melaporkan pesan ini." in budi.html(f"/diskusi/topik/{thread.id}")
    rina.post(target, {"reason": "sendiri"})
    assert "Pesan Anda sendiri tidak perlu dilaporkan." in rina.html(f"/diskusi/topik/{thread.id}")
    person("supervisor", name="Atasan").post(target, {"reason": "Setuju dilaporkan"})
    assert db.session.execute(select(func.count(PostReport.id))).scalar_one() == 2

    trainer = person("trainer", name="Dewi Pelatih")
    assert "Laporan diskusi" in trainer.html("/pelatih/")
    queue = trainer.html("/diskusi/laporan")
    assert "Isi yang dipersoalkan." in queue and "2 laporan" in queue and "Menyinggung" in queue
    trainer.post(f"/diskusi/pesan/{opening.id}/moderasi", {"action": "dismiss", "back": "laporan"})
    assert "Isi yang dipersoalkan." not in trainer.html("/diskusi/laporan")
    assert not db.session.get(Post, opening.id).is_hidden
    assert db.session.execute(select(AuditEvent.action)).scalar_one() == "forum.post_dismiss"


def test_hiding_a_reported_post_closes_its_reports(person):
    thread = seed_thread(quick_user(name="Penulis"))
    opening = db.session.execute(select(Post).where(Post.thread_id == thread.id)).scalar_one()
    person(name="Budi").post(f"/diskusi/pesan/{opening.id}/laporkan", {"reason": "Hoaks"})
    trainer = person("trainer", name="Dewi Pelatih")
    assert "1 laporan" in trainer.html(f"/diskusi/topik/{thread.id}")
    trainer.post(f"/diskusi/pesan/{opening.id}/moderasi", {"action": "hide", "reason": "Hoaks", "back": "laporan"})
    assert "Pembuka topik." not in trainer.html("/diskusi/laporan")
    assert db.session.execute(select(PostReport.resolved_at)).scalar_one() is not None


def test_a_learner_cannot_open_the_moderation_queue(person):
    assert person().get("/diskusi/laporan").status_code == 403
    assert person("supervisor", name="Atasan").get("/diskusi/laporan").status_code == 403


# --- new replies and read marks ------------------------------------------------------


def test_the_dashboard_counts_new_replies_in_threads_one_took_part_in(person):
    rina = person()
    thread = rina.open_thread(title="Topik Rina")
    budi = person(name="Budi Santoso")
    assert "Balasan baru" not in rina.html("/")
    budi.reply(thread, "Satu.")
    budi.reply(thread, "Dua.")
    rina.reply(thread, "Terima kasih.")  # writing marks the thread read up to her reply
    budi.reply(thread, "Tiga.")
    budi.reply(thread, "Empat.")
    dashboard = rina.html("/")
    assert "Balasan baru di diskusi Anda (2)" in dashboard and "Topik Rina" in dashboard
    assert "Balasan baru" not in person(name="Pembaca").html("/")  # read, never took part
    assert "Balasan baru" not in budi.html("/")  # the replies after his are his own
    last = db.session.execute(select(func.max(Post.id))).scalar_one()
    hidden = last - 1
    person("trainer", name="Dewi").post(f"/diskusi/pesan/{hidden}/moderasi", {"action": "hide", "reason": "Spam"})
    assert "Balasan baru di diskusi Anda (1)" in rina.html("/")
    page = rina.html(f"/diskusi/topik/{thread.id}")
    assert "data-auto-read" in page and "Baru" in page
    response = rina.client.post(
        f"/diskusi/topik/{thread.id}/dibaca",
        data={"csrf_token": csrf_token(rina.client, "/akun/kata-sandi"), "upto": str(last)},
        headers={"Accept": "application/json"},
    )
    assert response.get_json() == {"ok": True}
    assert "Balasan baru" not in rina.html("/")
    assert "data-auto-read" not in rina.html(f"/diskusi/topik/{thread.id}")


def test_a_read_mark_never_moves_back_nor_past_the_thread(person):
    rina = person()
    thread = rina.open_thread()
    budi = person(name="Budi")
    budi.reply(thread, "Satu.")
    last = db.session.execute(select(func.max(Post.id))).scalar_one()
    rina.post(f"/diskusi/topik/{thread.id}/dibaca", {"upto": str(2**31 - 1)})
    mark = db.session.get(ThreadRead, (rina.user.id, thread.id))
    assert mark.last_read_post_id == last
    rina.post(f"/diskusi/topik/{thread.id}/dibaca", {"upto": "0"})
    db.session.expire_all()
    assert db.session.get(ThreadRead, (rina.user.id, thread.id)).last_read_post_id == last
    budi.reply(thread, "Dua.")
    assert "Balasan baru di diskusi Anda (1)" in rina.html("/")


# --- pagination and queries per page -------------------------------------------------


def test_a_thread_shows_twenty_posts_a_page(person):
    thread = seed_thread(quick_user(name="Penulis"), replies=44)  # 45 posts
    rina = person()
    first, third = rina.html(f"/diskusi/topik/{thread.id}"), rina.html(f"/diskusi/topik/{thread.id}?hal=3")
    assert first.count('class="card post"') == 20 and third.count('class="card post"') == 5
    assert "Halaman 1 dari 3" in first and "Balasan nomor 19." in first and "Balasan nomor 20." not in first
    assert "Balasan nomor 44." in third and 'start="41"' in third
    assert "Halaman 3 dari 3" in rina.html(f"/diskusi/topik/{thread.id}?hal=99999999")
    assert "Halaman 1 dari 3" in rina.html(f"/diskusi/topik/{thread.id}?hal=abc")


def test_a_reply_lands_on_the_page_it_is_on(person):
    thread = seed_thread(quick_user(name="Penulis"), replies=20)
    response = person().reply(thread, "Balasan ke-22.")
    assert re.search(r"\?hal=2#pesan-\d+$", response.headers["Location"])


def test_a_forum_lists_twenty_threads_a_page(person):
    author = quick_user(name="Penulis")
    for n in range(25):
        seed_thread(author, title=f"Topik {n:02d}")
    rina = person()
    first, second = rina.html(FORUM), rina.html(f"{FORUM}?hal=2")
    assert first.count('class="card topic') == 20 and second.count('class="card topic') == 5
    assert "Topik (25)" in first and "Topik 24" in first and "Topik 00" in second


def _count(person_, url: str) -> int:
    person_.get(url)
    with statements() as sent:
        assert person_.get(url).status_code == 200
    assert writes(sent) == [], sent
    return len(sent)


def test_queries_per_page_do_not_grow_with_posts_threads_or_reports(person):
    author = quick_user(name="Penulis")
    small = seed_thread(author, replies=3, title="Kecil")
    trainer = person("trainer", name="Dewi Pelatih")
    rina = person()
    rina.reply(small, "Ikut.")
    reporter = person(name="Pelapor")
    for post_ in db.session.execute(select(Post).where(Post.thread_id == small.id)).scalars().all()[:2]:
        reporter.post(f"/diskusi/pesan/{post_.id}/laporkan", {"reason": "uji"})
    pages = [FORUM, f"/diskusi/topik/{small.id}", "/", "/kursus/layanan-dasar/pengantar"]
    before = {url: _count(rina, url) for url in pages}
    before_mod = {url: _count(trainer, url) for url in [FORUM, f"/diskusi/topik/{small.id}", "/diskusi/laporan"]}

    replier = quick_user()
    big = seed_thread(author, replies=60, title="Besar", replier=replier)
    for n in range(30):
        seed_thread(author, replies=1, title=f"Lain {n}", lesson_id="pengantar" if n % 2 else None, replier=replier)
    rina.reply(big, "Ikut juga.")
    for post_ in db.session.execute(select(Post).where(Post.thread_id == big.id)).scalars().all()[:25]:
        db.session.add(PostReport(post_id=post_.id, reporter_id=reporter.user.id, reason="uji"))
    db.session.commit()
    after = {url.replace(str(small.id), str(small.id)): _count(rina, url) for url in pages}
    after[f"/diskusi/topik/{big.id}"] = _count(rina, f"/diskusi/topik/{big.id}")
    assert after[f"/diskusi/topik/{big.id}"] == before[f"/diskusi/topik/{small.id}"]
    assert {url: after[url] for url in pages} == before
    after_mod = {url: _count(trainer, url) for url in [FORUM, f"/diskusi/topik/{small.id}", "/diskusi/laporan"]}
    assert after_mod == before_mod
    assert _count(trainer, f"/diskusi/topik/{big.id}") == before_mod[f"/diskusi/topik/{small.id}"]
    assert before[f"/diskusi/topik/{small.id}"] <= 6 and before_mod["/diskusi/laporan"] <= 6


def test_the_demo_discussions_are_written_once_for_the_shipped_courses(app_factory):
    from elearn.config import PROJECT_ROOT
    from elearn.forum.demo import seed_discussions
    from elearn.library import current_catalog

    app = app_factory(COURSES_DIR=str(PROJECT_ROOT / "courses"))
    with app.app_context():
        authors = [quick_user("Sri"), quick_user("Bambang"), quick_user("Dewi")]
        assert seed_discussions(current_catalog(), authors) == 2
        assert seed_discussions(current_catalog(), authors) == 0
        assert db.session.execute(select(func.count(Post.id))).scalar_one() == 5
        lesson_thread = db.session.execute(select(Thread).where(Thread.lesson_id.is_not(None))).scalar_one()
        assert lesson_thread.course_id == "komunikasi-efektif"
