"""The trainers' area: course health, previews with keys, course results, question analysis."""
