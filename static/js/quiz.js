// Quiz page: save answers in the background, count down the time limit, submit once.
// Without JavaScript the form still works: answers are saved when it is submitted.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var statusEl = document.getElementById("save-status");
  var submitButton = document.getElementById("submit-quiz");
  var unansweredEl = document.getElementById("unanswered");
  var saveTimer = null;
  var saving = false;
  var dirty = false;
  var closed = false;
  var submitting = false;
  // Only questions changed in this tab are sent, so a second tab open on the same
  // attempt never overwrites answers with its stale copy.
  var changed = {};

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = "save-status small" + (kind ? " save-" + kind : "");
  }

  function clock(date) {
    return date.toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
  }

  function save() {
    if (closed || submitting) return;
    if (saving) { dirty = true; return; }
    var sending = changed;
    changed = {};
    saving = true;
    dirty = false;
    setStatus("Menyimpan…");
    // Fields outside the questions (the tokens) always go; a question's fields only if it changed.
    var body = new FormData();
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled) return;
      var fieldset = element.closest("fieldset.question");
      if (fieldset && !sending[fieldset.dataset.question]) return;
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) return;
      if (element.type === "submit" || element.type === "button") return;
      body.append(element.name, element.value);
    });
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok && response.status !== 409) {
          Object.keys(sending).forEach(function (key) { changed[key] = true; });
        }
        if (response.ok) {
          setStatus("Tersimpan " + clock(new Date()), "ok");
        } else if (response.status === 401) {
          setStatus("Sesi Anda berakhir. Jawaban di halaman ini tetap ada: tekan “Kirim jawaban”, masuk lagi, lalu periksa jawaban Anda.", "error");
        } else if (response.status === 409) {
          closed = true;
          setStatus(data.error || "Kuis ini sudah ditutup.", "error");
        } else {
          setStatus((data.error || "Gagal menyimpan.") + " Muat ulang halaman bila pesan ini tetap muncul.", "error");
        }
      });
    }).catch(function () {
      Object.keys(sending).forEach(function (key) { changed[key] = true; });
      dirty = true;
      setStatus("Koneksi terputus. Jawaban akan disimpan lagi saat koneksi kembali.", "error");
    }).then(function () {
      saving = false;
      if (dirty) schedule(3000);
    });
  }

  function schedule(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  }

  // A question counts as answered when one of its options is checked, or when every text
  // field and every list in it has a value (every blank, every row, every rank).
  function countUnanswered() {
    var missing = 0;
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      var inputs = fieldset.querySelectorAll("input[type=radio], input[type=checkbox]");
      if (inputs.length) {
        if (!fieldset.querySelector("input:checked")) missing++;
        return;
      }
      var fields = fieldset.querySelectorAll("input.text, select");
      if (Array.prototype.some.call(fields, function (f) { return !f.value.trim(); })) missing++;
    });
    unansweredEl.textContent = missing ? missing + " soal belum dijawab." : "Semua soal sudah dijawab.";
    return missing;
  }

  function markChanged(event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) changed[fieldset.dataset.question] = true;
  }

  // The same reading of numbers as the server's (quiz/scoring.py): a decimal comma or dot,
  // thousands groups, a trailing % or the question's unit. Anything else scores nothing, so
  // the learner is told while typing.
  var NUMBER = /^[-+]?\d+([.,]\d+)*$/;
  function readsAsNumber(value, unit) {
    var text = value.trim().replace(/\s+/g, " ");
    var folded = text.toLowerCase();
    var suffixes = unit ? [unit.toLowerCase()] : [];
    if (!unit || unit === "%" || unit.toLowerCase() === "persen") suffixes.push("persen", "%");
    suffixes.sort(function (a, b) { return b.length - a.length; });
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (folded.length > s.length && folded.slice(-s.length) === s) { text = text.slice(0, -s.length); break; }
    }
    return NUMBER.test(text.replace(/\s+/g, ""));
  }

  function checkNumber(input) {
    var message = document.getElementById(input.id + "-msg");
    var bad = input.value.trim() !== "" && !readsAsNumber(input.value, input.dataset.unit);
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    if (message) {
      message.textContent = bad
        ? "Jawaban ini tidak terbaca sebagai angka. Tulis angkanya saja, misalnya 37,5" +
          (input.dataset.unit ? " (boleh diikuti “" + input.dataset.unit + "”)." : ".")
        : "";
    }
  }

  form.addEventListener("change", function (event) { markChanged(event); countUnanswered(); schedule(300); });
  form.addEventListener("input", function (event) {
    if (event.target.matches("input.text")) {
      markChanged(event);
      countUnanswered();
      if (event.target.matches("input.number")) checkNumber(event.target);
      schedule(1200);
    }
  });
  window.addEventListener("online", function () { if (dirty) save(); });

  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }
    var missing = countUnanswered();
    if (!form.dataset.timeUp && missing && !window.confirm(missing + " soal belum dijawab. Kirim sekarang?")) {
      event.preventDefault();
      return;
    }
    submitting = true;
    clearTimeout(saveTimer);
    submitButton.disabled = true;
    submitButton.textContent = "Mengirim…";
  });

  var timer = document.getElementById("timer");
  if (timer) {
    var valueEl = document.getElementById("timer-value");
    var endsAt = Date.now() + Number(timer.dataset.seconds) * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      valueEl.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left <= 60) timer.classList.add("timer-low");
      if (left === 0) {
        clearInterval(interval);
        if (!submitting) {
          form.dataset.timeUp = "1";
          setStatus("Waktu habis. Jawaban dikirim…", "error");
          form.requestSubmit ? form.requestSubmit(submitButton) : form.submit();
        }
      }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }
  form.querySelectorAll("input.number").forEach(checkNumber);
  countUnanswered();
})();
