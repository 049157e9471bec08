/*
 * Lua 5.4 pattern matching (manual §6.4.1) for string.find, match, gmatch and
 * gsub, written so that it cannot run unbounded inside one C call: every
 * matching step is charged to the task's instruction budget (mw_charge), which
 * the count hook cannot do while a library function runs. A step is one
 * attempt of a pattern item at a subject position or one subject byte examined
 * (by a repetition, %b, a back-reference or the plain search). Results and
 * error messages are those of stock Lua 5.4.4.
 */
#include "mw_shim.h"

#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

/* Steps are charged in batches so that the charge costs nothing measurable. */
#define STEP_BATCH 4096
/* Nested matching calls allowed before "pattern too complex". */
#define MAX_DEPTH 200
#define MAX_CAPTURES 32

/* Capture lengths that are not lengths. */
#define CAPTURE_OPEN (-1)
#define CAPTURE_POSITION (-2)

#define SPECIALS "^$*+?.([%-"

typedef struct capture {
    const char *start;
    ptrdiff_t length; /* or CAPTURE_OPEN / CAPTURE_POSITION */
} capture;

/* One matching attempt: the subject, the pattern, the captures so far. */
typedef struct matcher {
    lua_State *L;
    const char *subject;
    const char *subject_end;
    const char *pattern_end;
    int depth;       /* nested matching calls still allowed */
    int captures;    /* captures started */
    lua_Integer steps; /* steps not yet charged */
    capture capture[MAX_CAPTURES];
} matcher;

static void charge(matcher *m) {
    lua_Integer steps = m->steps;
    m->steps = 0;
    mw_charge(m->L, steps);
}

static inline void step(matcher *m) {
    if (++m->steps >= STEP_BATCH) charge(m);
}

static void matcher_init(matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
    m->steps = 0;
}

/* Clears what the previous attempt left, before matching at a new position. */
static void matcher_restart(matcher *m) {
    m->depth = MAX_DEPTH;
    m->captures = 0;
}

/* ---------------------------------------------------------------------------
 * Single characters
 */

/* `class` is the letter after '%': a class, its complement (upper case), or a literal. */
static int in_class(int c, int class) {
    int member;
    switch (tolower(class)) {
    case 'a': member = isalpha(c); break;
    case 'c': member = iscntrl(c); break;
    case 'd': member = isdigit(c); break;
    case 'g': member = isgraph(c); break;
    case 'l': member = islower(c); break;
    case 'p': member = ispunct(c); break;
    case 's': member = isspace(c); break;
    case 'u': member = isupper(c); break;
    case 'w': member = isalnum(c); break;
    case 'x': member = isxdigit(c); break;
    /* Not in the 5.4 manual, but stock 5.4 still accepts it. */
    case 'z': member = c == 0; break;
    default: return class == c;
    }
    if (isupper(class)) return !member;
    return member != 0;
}

/* `open` points at '[' and `close` at the set's closing ']'. */
static int in_set(int c, const char *open, const char *close) {
    const unsigned char *p = (const unsigned char *)open + 1;
    const unsigned char *end = (const unsigned char *)close;
    int wanted = 1;
    if (*p == '^') {
        wanted = 0;
        p++;
    }
    for (; p < end; p++) {
        if (*p == '%') {
            p++;
            if (in_class(c, *p)) return wanted;
        } else if (p + 2 < end && p[1] == '-') {
            if (p[0] <= c && c <= p[2]) return wanted;
            p += 2;
        } else if (*p == c) {
            return wanted;
        }
    }
    return !wanted;
}

/* The end of the single-character class starting at `p`. */
static const char *item_end(matcher *m, const char *p) {
    char first = *p++;
    if (first == '%') {
        if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (first != '[') return p;
    if (p < m->pattern_end && *p == '^') p++;
    /* The first character of a set may be ']' itself. */
    do {
        if (p >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
        char c = *p++;
        if (c == '%' && p < m->pattern_end) p++;
    } while (p >= m->pattern_end || *p != ']');
    return p + 1;
}

/* Whether the subject character at `s` is in the class [p, end). */
static int single_match(matcher *m, const char *s, const char *p, const char *end) {
    step(m);
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case '%': return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, end - 1);
    default: return (unsigned char)*p == c;
    }
}

/* ---------------------------------------------------------------------------
 * The matcher: returns the end of the match of [p, pattern_end) at s, or NULL.
 */

static const char *match(matcher *m, const char *s, const char *p);

static const char *match_open(matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    if (m->captures >= MAX_CAPTURES) luaL_error(m->L, "too many captures");
    m->capture[m->captures].start = s;
    m->capture[m->captures].length = kind;
    m->captures++;
    const char *end = match(m, s, p);
    if (end == NULL) m->captures--;
    return end;
}

static const char *match_close(matcher *m, const char *s, const char *p) {
    int open = m->captures - 1;
    while (open >= 0 && m->capture[open].length != CAPTURE_OPEN) open--;
    if (open < 0) luaL_error(m->L, "invalid pattern capture");
    m->capture[open].length = s - m->capture[open].start;
    const char *end = match(m, s, p);
    if (end == NULL) m->capture[open].length = CAPTURE_OPEN;
    return end;
}

/* %bxy at s: the end of the balanced run, or NULL. */
static const char *match_balanced(matcher *m, const char *s, const char *p) {
    if (p + 1 >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != p[0]) return NULL;
    int depth = 1;
    while (++s < m->subject_end) {
        step(m);
        if (*s == p[1]) {
            if (--depth == 0) return s + 1;
        } else if (*s == p[0]) {
            depth++;
        }
    }
    return NULL;
}

/* %1-%9 at s: the end of the repeated capture, or NULL. */
static const char *match_backreference(matcher *m, const char *s, int digit) {
    int index = digit - '1';
    if (index < 0 || index >= m->captures || m->capture[index].length == CAPTURE_OPEN)
        luaL_error(m->L, "invalid capture index %%%d", index + 1);
    ptrdiff_t length = m->capture[index].length;
    /* A position capture has no text: it never matches. */
    if (length < 0 || m->subject_end - s < length) return NULL;
    m->steps += length;
    if (memcmp(m->capture[index].start, s, (size_t)length) != 0) return NULL;
    return s + length;
}

/* Greedy: the longest run of the class, backing off until the rest matches. */
static const char *match_greedy(matcher *m, const char *s, const char *p, const char *rest) {
    const char *end = rest - 1;
    ptrdiff_t count = 0;
    while (single_match(m, s + count, p, end)) count++;
    for (; count >= 0; count--) {
        const char *result = match(m, s + count, rest);
        if (result != NULL) return result;
    }
    return NULL;
}

/* Lazy: the shortest run of the class after which the rest matches. */
static const char *match_lazy(matcher *m, const char *s, const char *p, const char *rest) {
    const char *end = rest - 1;
    for (;;) {
        const char *result = match(m, s, rest);
        if (result != NULL) return result;
        if (!single_match(m, s, p, end)) return NULL;
        s++;
    }
}

static const char *match(matcher *m, const char *s, const char *p) {
    if (m->depth-- == 0) luaL_error(m->L, "pattern too complex");
    /* Items that need no backtracking continue in this loop; the others recurse. */
    while (s != NULL && p < m->pattern_end) {
        step(m);
        if (*p == '(') {
            if (p + 1 < m->pattern_end && p[1] == ')') s = match_open(m, s, p + 2, CAPTURE_POSITION);
            else s = match_open(m, s, p + 1, CAPTURE_OPEN);
            break;
        }
        if (*p == ')') {
            s = match_close(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pattern_end) {
            if (s != m->subject_end) s = NULL;
            break;
        }
        if (*p == '%' && p + 1 < m->pattern_end) {
            char kind = p[1];
            if (kind == 'b') {
                s = match_balanced(m, s, p + 2);
                p += 4;
                continue;
            }
            if (kind == 'f') {
                p += 2;
                if (p >= m->pattern_end || *p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
                const char *end = item_end(m, p);
                int before = s == m->subject ? 0 : (unsigned char)s[-1];
                int after = s < m->subject_end ? (unsigned char)*s : 0;
                if (in_set(before, p, end - 1) || !in_set(after, p, end - 1)) s = NULL;
                p = end;
                continue;
            }
            if (kind >= '0' && kind <= '9') {
                s = match_backreference(m, s, kind);
                p += 2;
                continue;
            }
        }
        /* One character class, perhaps quantified. */
        const char *end = item_end(m, p);
        char quantifier = end < m->pattern_end ? *end : '\0';
        int matched = single_match(m, s, p, end);
        if (quantifier == '?') {
            if (matched) {
                const char *result = match(m, s + 1, end + 1);
                if (result != NULL) {
                    s = result;
                    break;
                }
            }
            p = end + 1;
        } else if (quantifier == '*') {
            if (matched) {
                s = match_greedy(m, s, p, end + 1);
                break;
            }
            p = end + 1;
        } else if (quantifier == '+') {
            s = matched ? match_greedy(m, s + 1, p, end + 1) : NULL;
            break;
        } else if (quantifier == '-') {
            if (matched) {
                s = match_lazy(m, s, p, end + 1);
                break;
            }
            p = end + 1;
        } else {
            s = matched ? s + 1 : NULL;
            p = end;
        }
    }
    m->depth++;
    return s;
}

/* ---------------------------------------------------------------------------
 * Captures onto the stack
 */

/* Pushes capture `index` (the whole match [s, e) when there are none). */
static void push_capture(matcher *m, int index, const char *s, const char *e) {
    if (index >= m->captures) {
        if (index != 0) luaL_error(m->L, "invalid capture index %%%d", index + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));
        return;
    }
    capture *c = &m->capture[index];
    if (c->length == CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    if (c->length == CAPTURE_POSITION) lua_pushinteger(m->L, (c->start - m->subject) + 1);
    else lua_pushlstring(m->L, c->start, (size_t)c->length);
}

/* Pushes every capture, or the whole match [s, e) when there are none and s is given. */
static int push_captures(matcher *m, const char *s, const char *e) {
    int count = (m->captures == 0 && s != NULL) ? 1 : m->captures;
    luaL_checkstack(m->L, count, "too many captures");
    for (int index = 0; index < count; index++) push_capture(m, index, s, e);
    return count;
}

/* ---------------------------------------------------------------------------
 * string.find, string.match
 */

/* A 1-based start position as the string functions take it, made 0-based. */
static size_t start_offset(lua_Integer position, size_t length) {
    if (position > 0) return (size_t)position - 1;
    if (position == 0 || position < -(lua_Integer)length) return 0;
    return length + (size_t)position;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++)
        if (p[i] != '\0' && strchr(SPECIALS, p[i]) != NULL) return 1;
    return 0;
}

/* The first occurrence of [needle, +ln) in [haystack, +lh), every compared byte charged. */
static const char *find_plain(matcher *m, const char *haystack, size_t lh, const char *needle, size_t ln) {
    if (ln == 0) return haystack;
    if (ln > lh) return NULL;
    const char *last = haystack + (lh - ln);
    const char *at = haystack;
    while (at <= last) {
        const char *candidate = memchr(at, needle[0], (size_t)(last - at) + 1);
        if (candidate == NULL) {
            m->steps += last - at + 1;
            break;
        }
        m->steps += candidate - at + 1;
        size_t same = 1;
        while (same < ln && candidate[same] == needle[same]) same++;
        m->steps += (lua_Integer)same;
        if (m->steps >= STEP_BATCH) charge(m);
        if (same == ln) return candidate;
        at = candidate + 1;
    }
    return NULL;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *found = find_plain(&m, s + init, ls - init, p, lp);
        charge(&m);
        if (found == NULL) {
            luaL_pushfail(L);
            return 1;
        }
        lua_pushinteger(L, (found - s) + 1);
        lua_pushinteger(L, (lua_Integer)((found - s) + lp));
        return 2;
    }
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
        m.pattern_end = p + lp;
    }
    for (const char *start = s + init;; start++) {
        matcher_restart(&m);
        const char *end = match(&m, start, p);
        if (end != NULL) {
            charge(&m);
            if (!find) return push_captures(&m, start, end);
            lua_pushinteger(L, (start - s) + 1);
            lua_pushinteger(L, end - s);
            return push_captures(&m, NULL, NULL) + 2;
        }
        if (anchored || start >= m.subject_end) break;
    }
    charge(&m);
    luaL_pushfail(L);
    return 1;
}

static int pattern_find(lua_State *L) { return find_or_match(L, 1); }

static int pattern_match(lua_State *L) { return find_or_match(L, 0); }

/* ---------------------------------------------------------------------------
 * string.gmatch
 */

/* The iterator's state, kept in its third upvalue; the first two keep s and p alive. */
typedef struct gmatch_state {
    const char *subject;
    size_t subject_length;
    const char *pattern;
    size_t pattern_length;
    const char *next;       /* where the next search starts */
    const char *last_match; /* the end of the previous match: an empty match there is skipped */
} gmatch_state;

static int gmatch_next(lua_State *L) {
    gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
    matcher m;
    matcher_init(&m, L, g->subject, g->subject_length, g->pattern, g->pattern_length);
    for (const char *start = g->next; start <= m.subject_end; start++) {
        matcher_restart(&m);
        const char *end = match(&m, start, g->pattern);
        if (end != NULL && end != g->last_match) {
            g->next = g->last_match = end;
            charge(&m);
            return push_captures(&m, start, end);
        }
    }
    g->next = m.subject_end + 1;
    charge(&m);
    return 0;
}

static int pattern_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) init = ls + 1;
    lua_settop(L, 2);
    gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->subject = s;
    g->subject_length = ls;
    g->pattern = p;
    g->pattern_length = lp;
    g->next = s + init;
    g->last_match = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* ---------------------------------------------------------------------------
 * string.gsub
 */

/* Appends the replacement string (argument 3) for the match [s, e), expanding %0-%9 and %%. */
static void add_replacement_string(matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    size_t length;
    const char *r = lua_tolstring(m->L, 3, &length);
    const char *r_end = r + length;
    while (r < r_end) {
        const char *percent = memchr(r, '%', (size_t)(r_end - r));
        if (percent == NULL) {
            luaL_addlstring(b, r, (size_t)(r_end - r));
            return;
        }
        luaL_addlstring(b, r, (size_t)(percent - r));
        char c = percent + 1 < r_end ? percent[1] : '\0';
        r = percent + 2;
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (c == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)c)) {
            push_capture(m, c - '1', s, e);
            luaL_tolstring(m->L, -1, NULL);
            lua_remove(m->L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(m->L, "invalid use of '%%' in replacement string");
        }
    }
}

/* Appends the replacement for the match [s, e); returns whether it changed the text. */
static int add_replacement(matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int count = push_captures(m, s, e);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement_string(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int pattern_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer limit = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    const char *at = s;
    const char *last_match = NULL;
    lua_Integer replaced = 0;
    int changed = 0;
    while (replaced < limit) {
        matcher_restart(&m);
        const char *end = match(&m, at, p);
        if (end != NULL && end != last_match) {
            replaced++;
            changed |= add_replacement(&m, &b, at, end, kind);
            at = last_match = end;
        } else if (at < m.subject_end) {
            luaL_addchar(&b, *at++);
        } else {
            break;
        }
        if (anchored) break;
    }
    charge(&m);
    if (changed) {
        luaL_addlstring(&b, at, (size_t)(m.subject_end - at));
        luaL_pushresult(&b);
    } else {
        lua_pushvalue(L, 1);
    }
    lua_pushinteger(L, replaced);
    return 2;
}

int mw_openpatterns(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"find", pattern_find},
        {"match", pattern_match},
        {"gmatch", pattern_gmatch},
        {"gsub", pattern_gsub},
        {NULL, NULL},
    };
    luaL_setfuncs(L, functions, 0);
    return 0;
}
