#ifndef MOONWATCH_CLUA_H
#define MOONWATCH_CLUA_H
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
/* lua-cjson ships a header without including lua.h first. */
#include <lua-cjson.h>
#endif
