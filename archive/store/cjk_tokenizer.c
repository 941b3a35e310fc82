/*
** cjk: an FTS5 tokenizer for Chinese (and Japanese/Korean) text.
**
** Document side (FTS5_TOKENIZE_DOCUMENT and _AUX):
**   - every Han, kana or hangul character is a token (a "unigram"), and the
**     pair it forms with the next character of the same run is emitted at the
**     same position as a colocated token (a "bigram");
**   - runs of Latin letters and digits are lowercased words;
**   - everything else (punctuation, whitespace, symbols) is a boundary: no
**     token, and no bigram spans it, so a phrase never matches across 。 or ，.
**   - full-width ASCII (ＡＢＣ１２３) is folded to half-width, traditional
**     characters to simplified (OpenCC's table, one character at a time; see
**     cjk_t2s.h and scripts/gen_t2s_table.py).  Offsets always point into the
**     original text, so highlight()/snippet() mark the text as written.
**
** Query side (FTS5_TOKENIZE_QUERY), for a run of m CJK characters:
**   m == 1: the unigram, which sits at every occurrence of the character;
**   m >= 2: the m-1 bigrams.  FTS5 makes a phrase of them: bigram i must sit
**           at position p+i.  A bigram exists only where its two characters
**           are adjacent in one run, so the phrase matches exactly where the
**           run occurs as a substring.  A 2-character word is one token, the
**           cheapest possible lookup.
**   Because a phrase of m-1 bigrams spans m-1 positions, FTS5's own
**   highlight()/snippet() mark only its first m-1 characters; cjk_snippet()
**   (below), given the query, marks all m.
**
** Built two ways from this one file:
**   - as the Python extension module archive.store._cjk (default): importing
**     it calls sqlite3_auto_extension(), so every SQLite connection the
**     process opens afterwards has the tokenizer.  No pointer is read out of
**     Python's sqlite3 objects.
**   - with -DARCHIVE_SQLITE_LOADABLE as a loadable extension for the sqlite3
**     shell:  .load build/cjk_tokenizer  (entry point sqlite3_cjktokenizer_init).
*/
#ifdef ARCHIVE_SQLITE_LOADABLE
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#else
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <sqlite3.h>
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cjk_t2s.h"

#define CJK_TOKENIZER_NAME "cjk"
#define CJK_TOKENIZER_VERSION "1"
/* Longest Latin word kept whole; longer runs are cut (and still searchable by prefix). */
#define CJK_MAX_WORD 128

enum { CH_BOUNDARY = 0, CH_WORD = 1, CH_CJK = 2 };

/* ---- character handling ------------------------------------------------ */

static unsigned int cjk_t2s(unsigned int cp) {
  int lo = 0, hi = CJK_T2S_COUNT - 1;
  if (cp < cjk_t2s_table[0][0] || cp > cjk_t2s_table[CJK_T2S_COUNT - 1][0]) return cp;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    unsigned int key = cjk_t2s_table[mid][0];
    if (key == cp) return cjk_t2s_table[mid][1];
    if (key < cp) lo = mid + 1; else hi = mid - 1;
  }
  return cp;
}

/* Full-width ASCII to ASCII, ideographic space to space, traditional to simplified,
** ASCII (and Latin-1/Greek/Cyrillic basic) letters to lower case. */
static unsigned int cjk_fold(unsigned int cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
  else if (cp == 0x3000) cp = 0x20;
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') cp += 32;
    return cp;
  }
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) return cp + 32;
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  if (cp >= 0x3400) return cjk_t2s(cp);
  return cp;
}

static int cjk_class(unsigned int cp) {
  if (cp < 0x80) {
    if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return CH_WORD;
    return CH_BOUNDARY;
  }
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x20000 && cp <= 0x323AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x2E80 && cp <= 0x2FDF) || /* radicals */
      (cp >= 0x3005 && cp <= 0x3007) || /* 々 〆 〇 */
      (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || /* kana */
      (cp >= 0xFF66 && cp <= 0xFF9F) ||                                   /* half-width kana */
      (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
      (cp >= 0x3130 && cp <= 0x318F)) /* hangul */
    return CH_CJK;
  /* Letters of Latin-1/Latin Extended, Greek, Cyrillic: parts of words. */
  if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x52F))
    return CH_WORD;
  return CH_BOUNDARY;
}

/* Decode one UTF-8 character at z[i..n); returns its length (invalid bytes: 1, U+FFFD). */
static int cjk_utf8_decode(const unsigned char *z, int i, int n, unsigned int *pCp) {
  unsigned int c = z[i];
  int len, k;
  if (c < 0x80) { *pCp = c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) { len = 2; c &= 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; c &= 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; c &= 0x07; }
  else { *pCp = 0xFFFD; return 1; }
  if (i + len > n) { *pCp = 0xFFFD; return 1; }
  for (k = 1; k < len; k++) {
    if ((z[i + k] & 0xC0) != 0x80) { *pCp = 0xFFFD; return 1; }
    c = (c << 6) | (z[i + k] & 0x3F);
  }
  *pCp = c;
  return len;
}

static int cjk_utf8_encode(unsigned int cp, char *out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F)); return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* ---- the FTS5 tokenizer ------------------------------------------------- */

typedef int (*cjk_token_cb)(void *, int, const char *, int, int, int);

static int cjkCreate(void *pUnused, const char **azArg, int nArg, Fts5Tokenizer **ppOut) {
  (void)pUnused; (void)azArg;
  if (nArg > 0) return SQLITE_ERROR; /* no options */
  *ppOut = (Fts5Tokenizer *)sqlite3_malloc(1); /* FTS5 wants a non-NULL handle */
  return *ppOut ? SQLITE_OK : SQLITE_NOMEM;
}

static void cjkDelete(Fts5Tokenizer *p) { sqlite3_free(p); }

typedef struct {
  char buf[4];
  int len;
  int start, end; /* byte offsets in the original text */
} CjkChar;

static int cjkTokenize(Fts5Tokenizer *pTok, void *pCtx, int flags, const char *pText, int nText,
                       cjk_token_cb xToken) {
  const unsigned char *z = (const unsigned char *)pText;
  const int isQuery = (flags & FTS5_TOKENIZE_QUERY) != 0;
  char word[CJK_MAX_WORD + 4];
  int nWord = 0, wordStart = 0, wordEnd = 0;
  CjkChar prev;    /* previous CJK character of the current run */
  int havePrev = 0;
  int runLen = 0;  /* characters in the current CJK run */
  int i = 0, rc = SQLITE_OK;
  (void)pTok;

  while (rc == SQLITE_OK && i <= nText) {
    unsigned int cp = 0;
    int len = 0, cls = CH_BOUNDARY;
    if (i < nText) {
      len = cjk_utf8_decode(z, i, nText, &cp);
      cp = cjk_fold(cp);
      cls = cjk_class(cp);
    }

    /* A run of word characters ends: emit the word. */
    if (nWord > 0 && cls != CH_WORD) {
      rc = xToken(pCtx, 0, word, nWord, wordStart, wordEnd);
      nWord = 0;
      if (rc != SQLITE_OK) break;
    }
    /* A CJK run ends: its last character is still pending. */
    if (havePrev && cls != CH_CJK) {
      /* Document: the last character's unigram.  Query: only a one-character
      ** run is a unigram; longer runs were all bigrams. */
      if (!isQuery || runLen == 1) rc = xToken(pCtx, 0, prev.buf, prev.len, prev.start, prev.end);
      havePrev = 0;
      runLen = 0;
      if (rc != SQLITE_OK) break;
    }
    if (i >= nText) break;

    if (cls == CH_WORD) {
      if (nWord == 0) wordStart = i;
      if (nWord < CJK_MAX_WORD) nWord += cjk_utf8_encode(cp, word + nWord);
      wordEnd = i + len;
    } else if (cls == CH_CJK) {
      CjkChar cur;
      cur.len = cjk_utf8_encode(cp, cur.buf);
      cur.start = i;
      cur.end = i + len;
      if (havePrev) {
        char pair[8];
        memcpy(pair, prev.buf, prev.len);
        memcpy(pair + prev.len, cur.buf, cur.len);
        if (isQuery) {
          rc = xToken(pCtx, 0, pair, prev.len + cur.len, prev.start, cur.end);
        } else {
          rc = xToken(pCtx, 0, prev.buf, prev.len, prev.start, prev.end);
          if (rc == SQLITE_OK)
            rc = xToken(pCtx, FTS5_TOKEN_COLOCATED, pair, prev.len + cur.len, prev.start, cur.end);
        }
      }
      prev = cur;
      havePrev = 1;
      runLen++;
    }
    i += len;
  }
  return rc;
}

/* ---- SQL functions -------------------------------------------------------- */

static void cjkVersionFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc; (void)argv;
  sqlite3_result_text(ctx, CJK_TOKENIZER_VERSION, -1, SQLITE_STATIC);
}

/* cjk_fold(text): the text as the tokenizer sees it (for brute-force checks). */
static void cjkFoldFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *z;
  int n, i = 0, o = 0;
  char *out;
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) { sqlite3_result_null(ctx); return; }
  z = sqlite3_value_text(argv[0]);
  n = sqlite3_value_bytes(argv[0]);
  out = sqlite3_malloc(n * 2 + 4);
  if (!out) { sqlite3_result_error_nomem(ctx); return; }
  while (i < n) {
    unsigned int cp;
    int len = cjk_utf8_decode(z, i, n, &cp);
    o += cjk_utf8_encode(cjk_fold(cp), out + o);
    i += len;
  }
  sqlite3_result_text(ctx, out, o, sqlite3_free);
}


/* ---- cjk_snippet(): snippet() that never cuts a match ---------------------
**
** FTS5's snippet() chooses its window by where matches start, so a phrase that
** starts in the last token of the window is cut: "…协和[医]…".  With this
** tokenizer a 2-character word is a 2-position phrase, so that is common.
** cjk_snippet takes the same arguments as snippet(table, column, open, close,
** ellipsis, tokens), plus optionally the MATCH query text, from which it learns
** which phrases end in a bigram (one more character than positions), and picks the window (per column, centred on a match)
** that holds the most distinct query phrases whole, then the most matches;
** every match is marked from its first to its last character, clipped only
** when the phrase itself is longer than the window.
*/

typedef struct { int phrase, off, len; } CjkInst;

typedef struct {
  int pos;                /* position of the next non-colocated token */
  int first, last;        /* window, inclusive */
  int *startByte, *endByte;
} CjkSpanCtx;

static int cjkSpanCb(void *pCtx, int tflags, const char *pTok, int nTok, int iStart, int iEnd) {
  CjkSpanCtx *c = (CjkSpanCtx *)pCtx;
  (void)pTok; (void)nTok;
  if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
  if (c->pos >= c->first && c->pos <= c->last) {
    c->startByte[c->pos - c->first] = iStart;
    c->endByte[c->pos - c->first] = iEnd;
  }
  c->pos++;
  return c->pos > c->last ? SQLITE_DONE : SQLITE_OK;
}


/* Which phrases of an FTS5 query end with a CJK bigram, i.e. match one more
** character than they have positions.  The query is read as FTS5 does for the
** forms our callers produce: "quoted strings" ("" inside for a quote) and
** barewords are phrases; AND/OR/NOT, NEAR, ( ) * ^ : , + are not.  Returns the
** number of phrases found (the caller checks it against xPhraseCount). */
typedef struct { int nChars, isCjk; } CjkLastTok;

static int cjkLastTokCb(void *pCtx, int tflags, const char *pTok, int nTok, int iStart, int iEnd) {
  CjkLastTok *t = (CjkLastTok *)pCtx;
  int i = 0, n = 0;
  unsigned int cp = 0, first = 0;
  (void)tflags; (void)iStart; (void)iEnd;
  while (i < nTok) {
    i += cjk_utf8_decode((const unsigned char *)pTok, i, nTok, &cp);
    if (n == 0) first = cp;
    n++;
  }
  t->nChars = n;
  t->isCjk = cjk_class(first) == CH_CJK;
  return SQLITE_OK;
}

static int cjk_phrase_extends(const char *zQuery, unsigned char *aExtend, int nMax) {
  int i = 0, n = 0, nQuery = (int)strlen(zQuery);
  char *buf = sqlite3_malloc(nQuery + 1);
  if (!buf) return -1;
  while (i < nQuery) {
    unsigned char c = (unsigned char)zQuery[i];
    int nBuf = 0, isPhrase = 0;
    if (c == '"') {
      i++;
      while (i < nQuery) {
        if (zQuery[i] == '"') {
          if (i + 1 < nQuery && zQuery[i + 1] == '"') { buf[nBuf++] = '"'; i += 2; continue; }
          i++;
          break;
        }
        buf[nBuf++] = zQuery[i++];
      }
      isPhrase = 1;
    } else if (c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      while (i < nQuery) {
        unsigned char d = (unsigned char)zQuery[i];
        if (!(d >= 0x80 || d == '_' || (d >= '0' && d <= '9') || ((d | 0x20) >= 'a' && (d | 0x20) <= 'z'))) break;
        buf[nBuf++] = zQuery[i++];
      }
      buf[nBuf] = 0;
      isPhrase = strcmp(buf, "AND") && strcmp(buf, "OR") && strcmp(buf, "NOT") && strcmp(buf, "NEAR");
    } else {
      i++;
      continue;
    }
    if (isPhrase) {
      CjkLastTok last = {0, 0};
      cjkTokenize(0, &last, FTS5_TOKENIZE_QUERY, buf, nBuf, cjkLastTokCb);
      if (n < nMax) aExtend[n] = (last.isCjk && last.nChars == 2) ? 1 : 0;
      n++;
    }
  }
  sqlite3_free(buf);
  return n;
}

static void cjkSnippetFunc(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                           int nVal, sqlite3_value **apVal) {
  int iColArg, nToken, nInst = 0, nCol, i, j, rc;
  const char *zOpen, *zClose, *zEllips;
  CjkInst *inst = 0;
  int bestCol = 0, bestFirst = 0, bestScore = -1;
  int nPhrase;
  unsigned char *seen = 0, *extend = 0;
  sqlite3_str *out = 0;

  if (nVal != 5 && nVal != 6) {
    sqlite3_result_error(pCtx, "cjk_snippet(table, column, open, close, ellipsis, tokens[, query])", -1);
    return;
  }
  iColArg = sqlite3_value_int(apVal[0]);
  zOpen = (const char *)sqlite3_value_text(apVal[1]);
  zClose = (const char *)sqlite3_value_text(apVal[2]);
  zEllips = (const char *)sqlite3_value_text(apVal[3]);
  nToken = sqlite3_value_int(apVal[4]);
  if (!zOpen) zOpen = "";
  if (!zClose) zClose = "";
  if (!zEllips) zEllips = "";
  if (nToken < 1) nToken = 1;
  if (nToken > 256) nToken = 256;
  nCol = pApi->xColumnCount(pFts);
  nPhrase = pApi->xPhraseCount(pFts);

  rc = pApi->xInstCount(pFts, &nInst);
  if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
  inst = sqlite3_malloc64(sizeof(CjkInst) * (nInst + 1) * 1);
  seen = sqlite3_malloc64(nPhrase + 1);
  extend = sqlite3_malloc64(nPhrase + 1);
  if (!inst || !seen || !extend) {
    sqlite3_free(inst); sqlite3_free(seen); sqlite3_free(extend);
    sqlite3_result_error_nomem(pCtx);
    return;
  }
  memset(extend, 0, nPhrase + 1);
  if (nVal == 6 && sqlite3_value_type(apVal[5]) == SQLITE_TEXT) {
    /* Only trust the reading of the query if it finds FTS5's phrases. */
    if (cjk_phrase_extends((const char *)sqlite3_value_text(apVal[5]), extend, nPhrase) != nPhrase)
      memset(extend, 0, nPhrase + 1);
  }

  /* Score every window centred on a match, in every allowed column. */
  for (i = 0; i < nCol; i++) {
    int n = 0, docSize = 0, k;
    if (iColArg >= 0 && i != iColArg) continue;
    for (k = 0; k < nInst; k++) {
      int ip, ic, io;
      if (pApi->xInst(pFts, k, &ip, &ic, &io) != SQLITE_OK) continue;
      if (ic != i) continue;
      inst[n].phrase = ip; inst[n].off = io; inst[n].len = pApi->xPhraseSize(pFts, ip) + extend[ip];
      if (inst[n].len < 1) inst[n].len = 1;
      n++;
    }
    pApi->xColumnSize(pFts, i, &docSize);
    if (n == 0) {
      if (bestScore < 0 && docSize > 0) { bestScore = 0; bestCol = i; bestFirst = 0; }
      continue;
    }
    for (k = 0; k < n; k++) {
      int first = inst[k].off - (nToken - inst[k].len) / 2, score = 0, distinct = 0;
      if (first + nToken > docSize) first = docSize - nToken;
      if (first > inst[k].off) first = inst[k].off;
      if (first < 0) first = 0;
      memset(seen, 0, nPhrase + 1);
      for (j = 0; j < n; j++) {
        if (inst[j].off >= first && inst[j].off + inst[j].len <= first + nToken) {
          score++;
          if (!seen[inst[j].phrase]) { seen[inst[j].phrase] = 1; distinct++; }
        }
      }
      score += distinct * 1000;
      if (score > bestScore) { bestScore = score; bestCol = i; bestFirst = first; }
    }
  }

  {
    const char *zText = 0;
    int nText = 0, docSize = 0, last, n = 0, k, cursor;
    int startByte[256], endByte[256];
    CjkSpanCtx span;
    rc = pApi->xColumnText(pFts, bestCol, &zText, &nText);
    if (rc != SQLITE_OK || zText == 0 || bestScore < 0) {
      sqlite3_free(inst); sqlite3_free(seen); sqlite3_free(extend);
      sqlite3_result_text(pCtx, "", 0, SQLITE_STATIC);
      return;
    }
    pApi->xColumnSize(pFts, bestCol, &docSize);
    last = bestFirst + nToken - 1;
    if (last > docSize - 1) last = docSize - 1;
    /* Matches of this column that touch the window (xInst orders them by
    ** position); the window grows to hold each of them whole. */
    for (k = 0; k < nInst; k++) {
      int ip, ic, io;
      if (pApi->xInst(pFts, k, &ip, &ic, &io) != SQLITE_OK || ic != bestCol) continue;
      inst[n].phrase = ip; inst[n].off = io; inst[n].len = pApi->xPhraseSize(pFts, ip) + extend[ip];
      if (inst[n].len < 1) inst[n].len = 1;
      if (io + inst[n].len - 1 < bestFirst || io > last) continue;
      if (io < bestFirst && last - io < 255) bestFirst = io;
      if (io + inst[n].len - 1 > last && io + inst[n].len - 1 - bestFirst < 255)
        last = io + inst[n].len - 1;
      n++;
    }
    if (last > docSize - 1) last = docSize - 1;
    for (k = 0; k <= last - bestFirst; k++) startByte[k] = endByte[k] = -1;
    span.pos = 0; span.first = bestFirst; span.last = last;
    span.startByte = startByte; span.endByte = endByte;
    rc = pApi->xTokenize(pFts, zText, nText, &span, cjkSpanCb);
    if ((rc != SQLITE_OK && rc != SQLITE_DONE) || last < bestFirst || startByte[0] < 0) {
      sqlite3_free(inst); sqlite3_free(seen); sqlite3_free(extend);
      sqlite3_result_text(pCtx, "", 0, SQLITE_STATIC);
      return;
    }
    out = sqlite3_str_new(0);
    if (bestFirst > 0) sqlite3_str_appendall(out, zEllips);
    cursor = bestFirst > 0 ? startByte[0] : 0;
    for (k = 0; k < n; k++) {
      int a = inst[k].off, b = inst[k].off + inst[k].len - 1, sb, eb;
      /* xInst lists matches ordered by position; merge overlapping ones (not
      ** merely adjacent ones, which may have punctuation between them). */
      while (k + 1 < n && inst[k + 1].off <= b) {
        int b2 = inst[k + 1].off + inst[k + 1].len - 1;
        if (b2 > b) b = b2;
        k++;
      }
      if (a < bestFirst) a = bestFirst;
      if (b > last) b = last;
      sb = startByte[a - bestFirst];
      eb = endByte[b - bestFirst];
      if (sb < cursor || eb < sb) continue;
      sqlite3_str_append(out, zText + cursor, sb - cursor);
      sqlite3_str_appendall(out, zOpen);
      sqlite3_str_append(out, zText + sb, eb - sb);
      sqlite3_str_appendall(out, zClose);
      cursor = eb;
    }
    if (last >= docSize - 1) {
      sqlite3_str_append(out, zText + cursor, nText - cursor);
    } else {
      if (endByte[last - bestFirst] > cursor)
        sqlite3_str_append(out, zText + cursor, endByte[last - bestFirst] - cursor);
      sqlite3_str_appendall(out, zEllips);
    }
  }
  sqlite3_free(inst);
  sqlite3_free(seen);
  sqlite3_free(extend);
  rc = sqlite3_str_errcode(out);
  if (rc != SQLITE_OK) {
    sqlite3_free(sqlite3_str_finish(out));
    sqlite3_result_error_code(pCtx, rc);
    return;
  }
  {
    int nOut = sqlite3_str_length(out);
    sqlite3_result_text(pCtx, sqlite3_str_finish(out), nOut, sqlite3_free);
  }
}


/* ---- cjk_rank(): bm25() without a docsize lookup per row ------------------
**
** cjk_rank(table, 'table_name', weight_col0, weight_col1, ...) returns exactly
** what FTS5's bm25(table, weight_col0, ...) returns (k1 = 1.2, b = 0.75, same
** IDF, weighted frequencies and document length), but faster on large result
** sets: bm25() reads each matching row's length from the %_docsize table with
** one statement per row, which is most of the time when a common 2-character
** word matches 25k of 100k documents.  cjk_rank reads all lengths once into a
** per-connection cache, valid while the database file's data version, the row
** count and the total size are unchanged; inside a write transaction (where
** its own uncommitted rows would not be seen) it asks FTS5 per row instead
** (a read transaction is fine: it sees one committed state).
*/
#define CJK_LEN_CACHE_SLOTS 16

/* Row lengths of one FTS5 table, shared by the queries that use them: freed
** when the last reference goes (a slot's, or a running query's). */
typedef struct {
  int nRef;
  sqlite3_int64 maxId;
  unsigned int *aLen; /* aLen[rowid] = tokens in the row, all columns */
} CjkLens;

typedef struct {
  sqlite3 *db;
  char zTable[128];
  unsigned int dataVersion;
  sqlite3_int64 nRow, nTotal;
  CjkLens *lens;
  sqlite3_uint64 lastUse;
} CjkLenSlot;

static CjkLenSlot cjk_len_cache[CJK_LEN_CACHE_SLOTS];
static sqlite3_uint64 cjk_len_clock = 0;

static int cjk_varint32(const unsigned char *p, int n, unsigned int *pVal) {
  unsigned int v = 0;
  int i = 0;
  while (i < n && i < 5) {
    v = (v << 7) | (p[i] & 0x7F);
    if (!(p[i++] & 0x80)) break;
  }
  *pVal = v;
  return i;
}

/* Call with the mutex held. */
static void cjk_lens_release(CjkLens *l) {
  if (l && --l->nRef == 0) {
    sqlite3_free(l->aLen);
    sqlite3_free(l);
  }
}

static CjkLens *cjk_lens_load(sqlite3 *db, const char *zTable) {
  sqlite3_int64 maxId = 0;
  sqlite3_stmt *pStmt = 0;
  CjkLens *l;
  int rc;
  char *zSql = sqlite3_mprintf("SELECT max(id) FROM \"%w_docsize\"", zTable);
  rc = zSql ? sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0) : SQLITE_NOMEM;
  sqlite3_free(zSql);
  if (rc == SQLITE_OK && sqlite3_step(pStmt) == SQLITE_ROW) maxId = sqlite3_column_int64(pStmt, 0);
  sqlite3_finalize(pStmt);
  pStmt = 0;
  if (rc != SQLITE_OK || maxId < 0 || maxId > 100000000) return 0;
  l = sqlite3_malloc64(sizeof(*l));
  if (!l) return 0;
  l->nRef = 0;
  l->maxId = maxId;
  l->aLen = sqlite3_malloc64(sizeof(unsigned int) * (maxId + 1));
  if (!l->aLen) { sqlite3_free(l); return 0; }
  memset(l->aLen, 0, sizeof(unsigned int) * (maxId + 1));
  zSql = sqlite3_mprintf("SELECT id, sz FROM \"%w_docsize\"", zTable);
  rc = zSql ? sqlite3_prepare_v2(db, zSql, -1, &pStmt, 0) : SQLITE_NOMEM;
  sqlite3_free(zSql);
  while (rc == SQLITE_OK && sqlite3_step(pStmt) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(pStmt, 0);
    const unsigned char *p = sqlite3_column_blob(pStmt, 1);
    int n = sqlite3_column_bytes(pStmt, 1), k = 0;
    unsigned int total = 0, v;
    while (p && k < n) { k += cjk_varint32(p + k, n - k, &v); total += v; }
    if (id >= 0 && id <= maxId) l->aLen[id] = total;
  }
  if (pStmt) rc = sqlite3_finalize(pStmt);
  if (rc != SQLITE_OK) { sqlite3_free(l->aLen); sqlite3_free(l); return 0; }
  return l;
}

/* The row lengths of an FTS5 table, with a reference for the caller (give it
** back with cjk_lens_put); 0 if unavailable.  Loading happens under the lock:
** it is rare (once per table and data version) and keeps slots consistent. */
static CjkLens *cjk_lens_get(sqlite3 *db, const char *zTable, sqlite3_int64 nRow, sqlite3_int64 nTotal) {
  unsigned int version = 0;
  int i, slot = -1;
  CjkLenSlot *e;
  CjkLens *l = 0;
  sqlite3_mutex *mutex = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  if (strlen(zTable) >= sizeof(cjk_len_cache[0].zTable)) return 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK) return 0;
  sqlite3_mutex_enter(mutex);
  for (i = 0; i < CJK_LEN_CACHE_SLOTS; i++) {
    e = &cjk_len_cache[i];
    if (e->db == db && strcmp(e->zTable, zTable) == 0) { slot = i; break; }
  }
  e = slot >= 0 ? &cjk_len_cache[slot] : 0;
  if (!e || !(e->dataVersion == version && e->nRow == nRow && e->nTotal == nTotal && e->lens)) {
    if (!e) { /* a new key: take the least recently used slot */
      slot = 0;
      for (i = 1; i < CJK_LEN_CACHE_SLOTS; i++) {
        if (cjk_len_cache[i].lastUse < cjk_len_cache[slot].lastUse) slot = i;
      }
      e = &cjk_len_cache[slot];
    }
    cjk_lens_release(e->lens);
    memset(e, 0, sizeof(*e));
    e->lens = cjk_lens_load(db, zTable);
    if (e->lens) {
      e->lens->nRef = 1; /* the slot's reference */
      e->db = db;
      memcpy(e->zTable, zTable, strlen(zTable) + 1);
      e->dataVersion = version;
      e->nRow = nRow;
      e->nTotal = nTotal;
    }
  }
  if (e->lens) {
    e->lastUse = ++cjk_len_clock;
    l = e->lens;
    l->nRef++;
  }
  sqlite3_mutex_leave(mutex);
  return l;
}

static void cjk_lens_put(CjkLens *l) {
  sqlite3_mutex *mutex;
  if (!l) return;
  mutex = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  sqlite3_mutex_enter(mutex);
  cjk_lens_release(l);
  sqlite3_mutex_leave(mutex);
}

/* as FTS5's bm25(): k1 = 1.2, b = 0.75, IDF floored at 1e-6 */
static double cjk_idf(sqlite3_int64 nRow, sqlite3_int64 nHit) {
  double idf = log((nRow - nHit + 0.5) / (nHit + 0.5));
  return idf <= 0.0 ? 1e-6 : idf;
}

static double cjk_bm25_part(double idf, double freq, double D, double avgdl) {
  const double k1 = 1.2, b = 0.75;
  return idf * ((freq * (k1 + 1.0)) / (freq + k1 * (1.0 - b + b * D / avgdl)));
}

typedef struct {
  int nPhrase;
  double avgdl;
  double *aIdf;       /* nPhrase */
  double *aFreq;      /* nPhrase, scratch */
  CjkLens *lens;      /* or 0: ask FTS5 per row */
} CjkRankData;

static void cjk_rank_free(void *p) {
  CjkRankData *d = (CjkRankData *)p;
  if (d) { cjk_lens_put(d->lens); sqlite3_free(d->aIdf); sqlite3_free(d); }
}

static int cjkCountCb(const Fts5ExtensionApi *pApi, Fts5Context *pFts, void *pUser) {
  (void)pApi; (void)pFts;
  (*(sqlite3_int64 *)pUser)++;
  return SQLITE_OK;
}

static CjkRankData *cjk_rank_data(const Fts5ExtensionApi *pApi, Fts5Context *pFts,
                                  sqlite3_context *pCtx, const char *zTable, int *pRc) {
  CjkRankData *d = (CjkRankData *)pApi->xGetAuxdata(pFts, 0);
  sqlite3_int64 nRow = 0, nTotal = 0, nHitTotal = 0;
  sqlite3 *db = sqlite3_context_db_handle(pCtx);
  int i;
  if (d) return d;
  d = sqlite3_malloc64(sizeof(*d));
  if (!d) { *pRc = SQLITE_NOMEM; return 0; }
  d->nPhrase = pApi->xPhraseCount(pFts);
  d->aIdf = sqlite3_malloc64(sizeof(double) * (2 * d->nPhrase + 1));
  if (!d->aIdf) { sqlite3_free(d); *pRc = SQLITE_NOMEM; return 0; }
  d->aFreq = d->aIdf + d->nPhrase;
  d->lens = 0;
  *pRc = pApi->xRowCount(pFts, &nRow);
  if (*pRc == SQLITE_OK) *pRc = pApi->xColumnTotalSize(pFts, -1, &nTotal);
  /* as FTS5's bm25() */
  d->avgdl = nRow > 0 ? (double)nTotal / (double)nRow : 1.0;
  if (nRow < 1) nRow = 1;
  for (i = 0; *pRc == SQLITE_OK && i < d->nPhrase; i++) {
    sqlite3_int64 nHit = 0;
    *pRc = pApi->xQueryPhrase(pFts, i, (void *)&nHit, cjkCountCb);
    nHitTotal += nHit;
    d->aIdf[i] = cjk_idf(nRow, nHit);
  }
  /* Few matching rows: per-row lookups are cheaper than loading every length. */
  if (*pRc == SQLITE_OK && zTable && nHitTotal > 2000 && sqlite3_txn_state(db, "main") != SQLITE_TXN_WRITE)
    d->lens = cjk_lens_get(db, zTable, nRow, nTotal);
  if (*pRc != SQLITE_OK) { cjk_rank_free(d); return 0; }
  *pRc = pApi->xSetAuxdata(pFts, d, cjk_rank_free);
  return *pRc == SQLITE_OK ? d : 0;
}

static void cjkRankFunc(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                        int nVal, sqlite3_value **apVal) {
  int rc = SQLITE_OK, p, nInst = 0, i;
  double score = 0.0, D = 0.0;
  const char *zTable = nVal > 0 ? (const char *)sqlite3_value_text(apVal[0]) : 0;
  CjkRankData *d = cjk_rank_data(pApi, pFts, pCtx, zTable, &rc);
  sqlite3_int64 rowid;
  if (!d) { sqlite3_result_error_code(pCtx, rc ? rc : SQLITE_ERROR); return; }
  for (p = 0; p < d->nPhrase; p++) d->aFreq[p] = 0.0;
  rc = pApi->xInstCount(pFts, &nInst);
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK && ip >= 0 && ip < d->nPhrase) {
      double w = (ic + 1 < nVal) ? sqlite3_value_double(apVal[ic + 1]) : 1.0;
      d->aFreq[ip] += w;
    }
  }
  rowid = pApi->xRowid(pFts);
  if (rc == SQLITE_OK) {
    if (d->lens && rowid >= 0 && rowid <= d->lens->maxId) {
      D = (double)d->lens->aLen[rowid];
    } else {
      int nTok = 0;
      rc = pApi->xColumnSize(pFts, -1, &nTok);
      D = (double)nTok;
    }
  }
  if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
  for (p = 0; p < d->nPhrase; p++) score += cjk_bm25_part(d->aIdf[p], d->aFreq[p], D, d->avgdl);
  /* negative like bm25(): ORDER BY it ascending, best first */
  sqlite3_result_double(pCtx, -1.0 * score);
}

/* ---- the parts of cjk_rank() for the single-term index (archive/store/fts.py) --
**
** cjk_term_rank(n_rows, total_tokens, df, freq, doclen): the value cjk_rank()
** gives a row of a one-phrase query, from the numbers it uses (rows and tokens
** in the table, rows matching, the row's weighted frequency and length),
** computed by the same code, so the two agree to the last bit.
** cjk_tf(table, w_col0, ...): the row's weighted frequency (as cjk_rank sums it).
** cjk_doclen(table): the row's length in tokens, all columns.
** cjk_runs(text): the text's runs of CJK characters, folded, each followed by
** one space: a document holds the one-character term c, or the two-character
** term (bigram) cd, exactly when c, or cd, occurs in this string. */
static void cjkTermRankFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3_int64 nRow = sqlite3_value_int64(argv[0]), nTotal = sqlite3_value_int64(argv[1]);
  sqlite3_int64 nHit = sqlite3_value_int64(argv[2]);
  double freq = sqlite3_value_double(argv[3]), D = sqlite3_value_double(argv[4]);
  double avgdl = nRow > 0 ? (double)nTotal / (double)nRow : 1.0;
  double score = 0.0;
  (void)argc;
  if (nRow < 1) nRow = 1;
  score += cjk_bm25_part(cjk_idf(nRow, nHit), freq, D, avgdl);
  sqlite3_result_double(ctx, -1.0 * score);
}

static void cjkTfFunc(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx, int nVal,
                      sqlite3_value **apVal) {
  int rc, nInst = 0, i;
  double freq = 0.0;
  rc = pApi->xInstCount(pFts, &nInst);
  for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
    int ip, ic, io;
    rc = pApi->xInst(pFts, i, &ip, &ic, &io);
    if (rc == SQLITE_OK) freq += (ic < nVal) ? sqlite3_value_double(apVal[ic]) : 1.0;
  }
  if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
  sqlite3_result_double(pCtx, freq);
}

static void cjkDoclenFunc(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                          int nVal, sqlite3_value **apVal) {
  int nTok = 0, rc = pApi->xColumnSize(pFts, -1, &nTok);
  (void)nVal; (void)apVal;
  if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
  sqlite3_result_int(pCtx, nTok);
}

static void cjkRunsFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *z;
  int n, i = 0, o = 0, inRun = 0;
  char *out;
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) { sqlite3_result_text(ctx, "", 0, SQLITE_STATIC); return; }
  z = sqlite3_value_text(argv[0]);
  n = sqlite3_value_bytes(argv[0]);
  out = sqlite3_malloc(n * 2 + 4);
  if (!out) { sqlite3_result_error_nomem(ctx); return; }
  while (i < n) {
    unsigned int cp;
    int len = cjk_utf8_decode(z, i, n, &cp);
    cp = cjk_fold(cp);
    if (cjk_class(cp) == CH_CJK) {
      o += cjk_utf8_encode(cp, out + o);
      inRun = 1;
    } else if (inRun) {
      out[o++] = ' ';
      inRun = 0;
    }
    i += len;
  }
  if (inRun) out[o++] = ' ';
  sqlite3_result_text(ctx, out, o, sqlite3_free);
}

static fts5_api *cjk_fts5_api(sqlite3 *db) {
  fts5_api *pApi = 0;
  sqlite3_stmt *pStmt = 0;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &pStmt, 0) == SQLITE_OK) {
    sqlite3_bind_pointer(pStmt, 1, (void *)&pApi, "fts5_api_ptr", 0);
    sqlite3_step(pStmt);
  }
  sqlite3_finalize(pStmt);
  return pApi;
}

/* Register the tokenizer and the SQL functions on one connection. */
static int cjk_register(sqlite3 *db) {
  static fts5_tokenizer tokenizer = {cjkCreate, cjkDelete, cjkTokenize};
  fts5_api *pApi = cjk_fts5_api(db);
  int rc;
  if (pApi == 0 || pApi->iVersion < 2) return SQLITE_ERROR;
  rc = pApi->xCreateTokenizer(pApi, CJK_TOKENIZER_NAME, 0, &tokenizer, 0);
  if (rc == SQLITE_OK) rc = pApi->xCreateFunction(pApi, "cjk_snippet", 0, cjkSnippetFunc, 0);
  if (rc == SQLITE_OK) rc = pApi->xCreateFunction(pApi, "cjk_rank", 0, cjkRankFunc, 0);
  if (rc == SQLITE_OK) rc = pApi->xCreateFunction(pApi, "cjk_tf", 0, cjkTfFunc, 0);
  if (rc == SQLITE_OK) rc = pApi->xCreateFunction(pApi, "cjk_doclen", 0, cjkDoclenFunc, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "cjk_term_rank", 5, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0,
                                 cjkTermRankFunc, 0, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "cjk_runs", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, cjkRunsFunc, 0,
                                 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "cjk_tokenizer_version", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0,
                                 cjkVersionFunc, 0, 0);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "cjk_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, cjkFoldFunc,
                                 0, 0);
  return rc;
}

#ifdef ARCHIVE_SQLITE_LOADABLE

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_cjktokenizer_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  if (cjk_register(db) != SQLITE_OK) {
    if (pzErrMsg) *pzErrMsg = sqlite3_mprintf("cjk tokenizer: FTS5 is not available");
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

#else /* the Python extension module */

/* Called by SQLite at the end of every sqlite3_open*() in this process.  It
** never fails the open: without FTS5 the connection simply lacks the
** tokenizer, which cjk_tokenizer_version() lets callers detect. */
static int cjk_auto_init(sqlite3 *db, const char **pzErrMsg, const void *pThunk) {
  (void)pzErrMsg; (void)pThunk;
  cjk_register(db);
  return SQLITE_OK;
}

static PyObject *py_sqlite_libversion(PyObject *self, PyObject *args) {
  (void)self; (void)args;
  return PyUnicode_FromString(sqlite3_libversion());
}

static PyMethodDef cjk_methods[] = {
    {"sqlite_libversion", py_sqlite_libversion, METH_NOARGS,
     "Version of the SQLite library this module registered the tokenizer with."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef cjk_module = {
    PyModuleDef_HEAD_INIT, "_cjk",
    "Registers the 'cjk' FTS5 tokenizer on every SQLite connection opened after import.", -1,
    cjk_methods};

PyMODINIT_FUNC PyInit__cjk(void) {
  PyObject *m = PyModule_Create(&cjk_module);
  int rc;
  if (m == NULL) return NULL;
  rc = sqlite3_auto_extension((void (*)(void))cjk_auto_init);
  if (rc != SQLITE_OK) {
    Py_DECREF(m);
    PyErr_Format(PyExc_ImportError, "sqlite3_auto_extension failed (%d)", rc);
    return NULL;
  }
  PyModule_AddStringConstant(m, "TOKENIZER", CJK_TOKENIZER_NAME);
  PyModule_AddStringConstant(m, "VERSION", CJK_TOKENIZER_VERSION);
  return m;
}

#endif
