/* Prototype (session 48, helper native): read_field's term index built in the tokenizer's loop.
   A plain word (read_word's last field true, not after a clitic prefix) is indexed here; any other
   word's tokens come from the Python function other_word (fused.py). Same Reading as
   app.rules.analysis.read_field (bench/speedups/compare.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *WORDS, *READ_WORD, *OTHER_WORD, *NO_WORD, *S_WORD, *S_PART, *S_JOINED, *S_STEM;

static PyObject *setup(PyObject *self, PyObject *args) {
    PyObject *w, *r, *o, *n;
    if (!PyArg_ParseTuple(args, "O!OOO", &PyDict_Type, &w, &r, &o, &n)) return NULL;
    Py_XSETREF(WORDS, Py_NewRef(w)); Py_XSETREF(READ_WORD, Py_NewRef(r));
    Py_XSETREF(OTHER_WORD, Py_NewRef(o)); Py_XSETREF(NO_WORD, Py_NewRef(n));
    Py_RETURN_NONE;
}

static int kind_is(PyObject *k, PyObject *s) {
    return k == s || PyUnicode_Compare(k, s) == 0;
}

/* read_word's tuple of a spelling: WORDS' (a new reference), read_word's on a miss */
static PyObject *info_of(PyObject *raw) {
    PyObject *info = PyDict_GetItemWithError(WORDS, raw);
    if (info) return Py_NewRef(info);
    if (PyErr_Occurred()) return NULL;
    info = PyObject_CallOneArg(READ_WORD, raw);
    if (info && (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) != 8)) {
        PyErr_SetString(PyExc_TypeError, "read_word gave no 8-tuple");
        Py_CLEAR(info);
    }
    return info;
}

/* The word before, as the tokenizer's loop keeps it. */
typedef struct { PyObject *prev; Py_ssize_t pos, prev_pos, prev_start, prev_end; int prev_prefix; } Walk;

/* other_word's tokens of a word that is not plain (None: it gives no word) */
static PyObject *other_tokens(Walk *w, PyObject *text, PyObject *info, Py_ssize_t start, Py_ssize_t end) {
    return PyObject_CallFunction(OTHER_WORD, "OOnnnOnnnO", text, info, start, end, w->pos, w->prev, w->prev_pos,
                                 w->prev_start, w->prev_end, w->prev_prefix ? Py_True : Py_False);
}

/* The word read (info, a reference taken) becomes the word before; ``plain``: one position, no prefix. */
static void step(Walk *w, PyObject *info, Py_ssize_t start, Py_ssize_t end, int plain) {
    Py_ssize_t width = 1;
    if (!plain) {
        PyObject *compound = PyTuple_GET_ITEM(info, 6);
        if (compound != Py_None) width = PyLong_AsSsize_t(PyTuple_GET_ITEM(compound, 0));
        w->prev_prefix = PyObject_IsTrue(PyTuple_GET_ITEM(info, 3));
    }
    Py_SETREF(w->prev, info);
    w->prev_pos = w->pos; w->prev_start = start; w->prev_end = end; w->pos += width;
}

/* index[term][pos] = (nxt, start, end) unless there; returns 1 when added, 0 when there, -1 error */
static int put(PyObject *index, PyObject *term, PyObject *pos, Py_ssize_t nxt, PyObject *start, PyObject *end) {
    PyObject *positions = PyDict_GetItemWithError(index, term);
    if (positions == NULL) {
        if (PyErr_Occurred()) return -1;
        positions = PyDict_New();
        if (!positions) return -1;
        int r = PyDict_SetItem(index, term, positions);
        Py_DECREF(positions);
        if (r < 0) return -1;
    } else {
        int has = PyDict_Contains(positions, pos);
        if (has) return has < 0 ? -1 : 0;
    }
    PyObject *n = PyLong_FromSsize_t(nxt);
    if (!n) return -1;
    PyObject *entry = PyTuple_Pack(3, n, start, end);
    Py_DECREF(n);
    if (!entry) return -1;
    int r = PyDict_SetItem(positions, pos, entry);
    Py_DECREF(entry);
    return r < 0 ? -1 : 1;
}

static PyObject *read_c(PyObject *self, PyObject *args) {
    PyObject *text, *pieces;
    Py_ssize_t lead_chars;
    if (!PyArg_ParseTuple(args, "UO!n", &text, &PyList_Type, &pieces, &lead_chars)) return NULL;
    PyObject *index = PyDict_New(), *joins = PyList_New(0), *stems = PyList_New(0), *lead = PyList_New(0);
    Walk w = {Py_NewRef(NO_WORD), 0, 0, 0, -1, 0};
    PyObject *result = NULL;
    if (!index || !joins || !stems || !lead) goto done;
    int lead_open = lead_chars >= 0;
    Py_ssize_t offset = 0;
    Py_ssize_t n = PyList_GET_SIZE(pieces);
    if (n) offset = PyUnicode_GET_LENGTH(PyList_GET_ITEM(pieces, 0));
    for (Py_ssize_t i = 1; i < n; i += 2) {
        PyObject *raw = PyList_GET_ITEM(pieces, i);
        Py_ssize_t start = offset, end = offset + PyUnicode_GET_LENGTH(raw), pos = w.pos;
        offset = end + (i + 1 < n ? PyUnicode_GET_LENGTH(PyList_GET_ITEM(pieces, i + 1)) : 0);
        PyObject *info = info_of(raw);
        if (!info) goto done;
        int plain = PyObject_IsTrue(PyTuple_GET_ITEM(info, 7));
        if (plain < 0) { Py_DECREF(info); goto done; }
        if (plain && !w.prev_prefix) {
            PyObject *term = PyTuple_GET_ITEM(info, 0);
            PyObject *p = PyLong_FromSsize_t(pos), *s = PyLong_FromSsize_t(start), *e = PyLong_FromSsize_t(end);
            int r = (p && s && e) ? put(index, term, p, pos + 1, s, e) : -1;
            if (r >= 0 && lead_open) {
                if (start > lead_chars) lead_open = 0;
                else {
                    PyObject *tok = PyTuple_Pack(5, term, s, e, p, S_WORD);
                    r = tok ? PyList_Append(lead, tok) : -1;
                    Py_XDECREF(tok);
                }
            }
            Py_XDECREF(p); Py_XDECREF(s); Py_XDECREF(e);
            if (r < 0) { Py_DECREF(info); goto done; }
            step(&w, info, start, end, 1);
            continue;
        }
        PyObject *tokens = other_tokens(&w, text, info, start, end);
        if (!tokens) { Py_DECREF(info); goto done; }
        if (tokens == Py_None) { Py_DECREF(tokens); Py_DECREF(info); continue; }
        Py_ssize_t m = PyList_GET_SIZE(tokens);
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *tok = PyList_GET_ITEM(tokens, j);
            PyObject *term = PyTuple_GET_ITEM(tok, 0), *s = PyTuple_GET_ITEM(tok, 1), *e = PyTuple_GET_ITEM(tok, 2);
            PyObject *p = PyTuple_GET_ITEM(tok, 3), *kind = PyTuple_GET_ITEM(tok, 4);
            Py_ssize_t tpos = PyLong_AsSsize_t(p), nxt = tpos + 1;
            int is_word = kind_is(kind, S_WORD);
            int spans = !is_word && (kind_is(kind, S_JOINED) || kind_is(kind, S_STEM));
            if (spans) {  /* after.get(end, pos + 1): the word's own word and part tokens */
                for (Py_ssize_t k = m - 1; k >= 0; k--) {  /* the last such token with that end */
                    PyObject *o = PyList_GET_ITEM(tokens, k), *ok = PyTuple_GET_ITEM(o, 4);
                    if (kind_is(ok, S_JOINED) || kind_is(ok, S_STEM)) continue;
                    if (PyObject_RichCompareBool(PyTuple_GET_ITEM(o, 2), e, Py_EQ) == 1) {
                        nxt = PyLong_AsSsize_t(PyTuple_GET_ITEM(o, 3)) + 1; break;
                    }
                }
            }
            int r = put(index, term, p, nxt, s, e);
            if (r < 0) { Py_DECREF(tokens); Py_DECREF(info); goto done; }
            if (lead_open) {
                if (is_word && PyLong_AsSsize_t(s) > lead_chars) lead_open = 0;
                else if (PyList_Append(lead, tok) < 0) { Py_DECREF(tokens); Py_DECREF(info); goto done; }
            }
            if (r == 1 && !is_word && nxt == tpos + 1 && !kind_is(kind, S_PART)) {
                if (PyList_Append(kind_is(kind, S_STEM) ? stems : joins, tok) < 0) {
                    Py_DECREF(tokens); Py_DECREF(info); goto done;
                }
            }
        }
        Py_DECREF(tokens);
        step(&w, info, start, end, 0);
    }
    result = PyTuple_Pack(4, index, joins, stems, lead);
done:
    Py_XDECREF(index); Py_XDECREF(joins); Py_XDECREF(stems); Py_XDECREF(lead); Py_XDECREF(w.prev);
    return result;
}

/* features._known_features: the same counts, first words and order (compare.py) */
static PyObject *known_c(PyObject *self, PyObject *args) {
    PyObject *counts, *first_word, *groups, *stems, *text, *terms, *bases, *pairs, *keep_term, *keep_base;
    double weight;
    if (!PyArg_ParseTuple(args, "O!O!OO!UdO!O!O!OO", &PyDict_Type, &counts, &PyDict_Type, &first_word, &groups,
                          &PyDict_Type, &stems, &text, &weight, &PyDict_Type, &terms, &PyDict_Type, &bases,
                          &PyDict_Type, &pairs, &keep_term, &keep_base)) return NULL;
    PyObject *base_at = PyDict_New(), *it = NULL, *group = NULL, *w = NULL, *result = NULL;
    if (!base_at) return NULL;
    w = PyFloat_FromDouble(weight);
    it = PyObject_GetIter(groups);
    if (!w || !it) goto done;
    while ((group = PyIter_Next(it))) {
        PyObject *term = PyTuple_GET_ITEM(group, 0), *positions = PyTuple_GET_ITEM(group, 1);
        PyObject *given = PyDict_GetItemWithError(terms, term);
        if (given) Py_INCREF(given);
        else {
            if (PyErr_Occurred()) goto done;
            given = PyObject_CallOneArg(keep_term, term);
            if (!given) goto done;
        }
        if (given == Py_None) { Py_DECREF(given); Py_CLEAR(group); continue; }
        Py_ssize_t i = 0;
        PyObject *pos, *entry;
        while (PyDict_Next(positions, &i, &pos, &entry)) {
            Py_ssize_t p = PyLong_AsSsize_t(pos);
            if (PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0)) != p + 1) continue;
            PyObject *start = PyTuple_GET_ITEM(entry, 1), *end = PyTuple_GET_ITEM(entry, 2);
            PyObject *base = PyDict_GetItemWithError(stems, pos), *feature, *kept_word = term;
            if (!base && PyErr_Occurred()) { Py_DECREF(given); goto done; }
            if (base) {
                feature = PyDict_GetItemWithError(bases, base);
                if (feature) Py_INCREF(feature);
                else {
                    if (PyErr_Occurred()) { Py_DECREF(given); goto done; }
                    feature = PyObject_CallOneArg(keep_base, base);
                    if (!feature) { Py_DECREF(given); goto done; }
                }
                if (feature != Py_None) kept_word = base;
                else { Py_DECREF(feature); feature = Py_NewRef(given); }
            } else feature = Py_NewRef(given);
            PyObject *at = PyTuple_Pack(3, kept_word, start, end);
            int r = at ? PyDict_SetItem(base_at, pos, at) : -1;
            Py_XDECREF(at);
            int truth = r < 0 ? -1 : PyObject_IsTrue(feature);
            if (truth > 0) {
                PyObject *count = PyDict_GetItemWithError(counts, feature);
                if (count) {
                    PyObject *sum = PyFloat_FromDouble(PyFloat_AS_DOUBLE(count) + weight);
                    r = sum ? PyDict_SetItem(counts, feature, sum) : -1;
                    Py_XDECREF(sum);
                } else if (PyErr_Occurred()) r = -1;
                else {
                    PyObject *word = PyUnicode_Substring(text, PyLong_AsSsize_t(start), PyLong_AsSsize_t(end));
                    r = (word && PyDict_SetItem(counts, feature, w) == 0) ? PyDict_SetItem(first_word, feature, word) : -1;
                    Py_XDECREF(word);
                }
            }
            Py_DECREF(feature);
            if (r < 0 || truth < 0) { Py_DECREF(given); goto done; }
        }
        Py_DECREF(given);
        Py_CLEAR(group);
    }
    if (PyErr_Occurred()) goto done;
    Py_ssize_t i = 0;
    PyObject *pos, *at;
    while (PyDict_Next(base_at, &i, &pos, &at)) {
        PyObject *tails = PyDict_GetItemWithError(pairs, PyTuple_GET_ITEM(at, 0));
        if (!tails) { if (PyErr_Occurred()) goto done; continue; }
        PyObject *np = PyLong_FromSsize_t(PyLong_AsSsize_t(pos) + 1);
        if (!np) goto done;
        PyObject *following = PyDict_GetItemWithError(base_at, np);
        Py_DECREF(np);
        if (!following) { if (PyErr_Occurred()) goto done; continue; }
        PyObject *feature = PyDict_GetItemWithError(tails, PyTuple_GET_ITEM(following, 0));
        if (!feature) { if (PyErr_Occurred()) goto done; continue; }
        PyObject *count = PyDict_GetItemWithError(counts, feature);
        int r;
        if (count) {
            PyObject *sum = PyFloat_FromDouble(PyFloat_AS_DOUBLE(count) + weight);
            r = sum ? PyDict_SetItem(counts, feature, sum) : -1;
            Py_XDECREF(sum);
        } else if (PyErr_Occurred()) r = -1;
        else {
            PyObject *one = PyUnicode_Substring(text, PyLong_AsSsize_t(PyTuple_GET_ITEM(at, 1)),
                                                PyLong_AsSsize_t(PyTuple_GET_ITEM(at, 2)));
            PyObject *two = PyUnicode_Substring(text, PyLong_AsSsize_t(PyTuple_GET_ITEM(following, 1)),
                                                PyLong_AsSsize_t(PyTuple_GET_ITEM(following, 2)));
            PyObject *words = (one && two) ? PyUnicode_FromFormat("%U %U", one, two) : NULL;
            Py_XDECREF(one); Py_XDECREF(two);
            r = (words && PyDict_SetItem(counts, feature, w) == 0) ? PyDict_SetItem(first_word, feature, words) : -1;
            Py_XDECREF(words);
        }
        if (r < 0) goto done;
    }
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(group); Py_XDECREF(it); Py_XDECREF(w); Py_DECREF(base_at);
    return result;
}

/* list(persian.token_tuples(text)): the plain words' tuples made here, the others' by other_word */
static PyObject *tokens_c(PyObject *self, PyObject *args) {
    PyObject *text, *pieces;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyList_Type, &pieces)) return NULL;
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    Walk w = {Py_NewRef(NO_WORD), 0, 0, 0, -1, 0};
    Py_ssize_t offset = 0, n = PyList_GET_SIZE(pieces);
    if (n) offset = PyUnicode_GET_LENGTH(PyList_GET_ITEM(pieces, 0));
    for (Py_ssize_t i = 1; i < n; i += 2) {
        PyObject *raw = PyList_GET_ITEM(pieces, i);
        Py_ssize_t start = offset, end = offset + PyUnicode_GET_LENGTH(raw);
        offset = end + (i + 1 < n ? PyUnicode_GET_LENGTH(PyList_GET_ITEM(pieces, i + 1)) : 0);
        PyObject *info = info_of(raw);
        if (!info) goto fail;
        if (PyObject_IsTrue(PyTuple_GET_ITEM(info, 7)) && !w.prev_prefix) {
            PyObject *tok = Py_BuildValue("(OnnnO)", PyTuple_GET_ITEM(info, 0), start, end, w.pos, S_WORD);
            int r = tok ? PyList_Append(out, tok) : -1;
            Py_XDECREF(tok);
            if (r < 0) { Py_DECREF(info); goto fail; }
            step(&w, info, start, end, 1);
            continue;
        }
        PyObject *tokens = other_tokens(&w, text, info, start, end);
        if (!tokens) { Py_DECREF(info); goto fail; }
        if (tokens == Py_None) { Py_DECREF(tokens); Py_DECREF(info); continue; }
        int r = PyList_SetSlice(out, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, tokens);
        Py_DECREF(tokens);
        if (r < 0) { Py_DECREF(info); goto fail; }
        step(&w, info, start, end, 0);
    }
    Py_DECREF(w.prev);
    return out;
fail:
    Py_DECREF(w.prev); Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS, NULL},
    {"read", read_c, METH_VARARGS, NULL},
    {"tokens", tokens_c, METH_VARARGS, NULL},
    {"known_features", known_c, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fused", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fused(void) {
    S_WORD = PyUnicode_InternFromString("word"); S_PART = PyUnicode_InternFromString("part");
    S_JOINED = PyUnicode_InternFromString("joined"); S_STEM = PyUnicode_InternFromString("stem");
    return PyModule_Create(&module);
}
