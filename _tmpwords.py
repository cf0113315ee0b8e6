from elearn.catalog import load_catalog
from elearn.config import PROJECT_ROOT
c = load_catalog(PROJECT_ROOT / "courses")
for course in c.courses:
    for l in course.lessons:
        print(course.id, l.id, l.words, len(l.quiz.questions), sorted({q.type for q in l.quiz.questions}))
    print(course.id, 'exam', len(course.exam.questions), course.exam.questions_per_attempt)
