// The C API functions that Swift calls, all of them from this target (no other
// target imports CLua; `BoundaryLayoutTests` keeps it so). Each is listed with
// its error class from the manual (§4.5: "-" never raises, "m" raises only on
// a memory error, "e" may raise other errors) and why calling it from a Swift
// frame is safe (docs/lua-boundary.md rule 1: no longjmp crosses a Swift frame).
//
// "m" is safe because the allocator never refuses while host code runs
// (`mw_vm.in_script` is 0 outside script code; a real out-of-memory aborts).
//
// | function          | class | why it is safe here                                            |
// |-------------------|-------|----------------------------------------------------------------|
// | lua_absindex      | -     |                                                                |
// | lua_checkstack    | -     | returns 0 instead of raising; every push is preceded by it     |
// | lua_close         | -     | runs finalizers: only moonwatch's C ones (scripts get no __gc) |
// | lua_createtable   | m     |                                                                |
// | lua_getstack      | -     |                                                                |
// | lua_gettop        | -     |                                                                |
// | lua_isinteger     | -     |                                                                |
// | lua_newthread     | m     |                                                                |
// | lua_next          | e     | raises only for a key not in the table; the walk starts at nil |
// | lua_pushboolean   | -     |                                                                |
// | lua_pushinteger   | -     |                                                                |
// | lua_pushlstring   | m     |                                                                |
// | lua_pushnil       | -     |                                                                |
// | lua_pushnumber    | -     |                                                                |
// | lua_pushstring    | m     |                                                                |
// | lua_pushvalue     | -     |                                                                |
// | lua_rawget        | -     |                                                                |
// | lua_rawgeti       | -     |                                                                |
// | lua_rawlen        | -     |                                                                |
// | lua_rawset        | m     | also raises for a nil or NaN key: NaN keys are skipped, nil    |
// |                   |       | is not a LuaKey                                                |
// | lua_rawseti       | m     |                                                                |
// | lua_settop        | e     | raises only when it closes a to-be-closed slot: Swift never    |
// |                   |       | marks one (no lua_toclose), so it only drops plain values      |
// | lua_status        | -     |                                                                |
// | lua_toboolean     | -     |                                                                |
// | lua_tointegerx    | -     |                                                                |
// | lua_tolstring     | m     | converts numbers only; it is called on strings only            |
// | lua_tonumberx     | -     |                                                                |
// | lua_topointer     | -     |                                                                |
// | lua_type          | -     |                                                                |
// | lua_xmove         | -     |                                                                |
// | luaL_loadbufferx  | m     | a syntax error is returned, not raised                         |
// | luaL_ref          | m     |                                                                |
// | luaL_unref        | -     |                                                                |
// | luaL_requiref     | e     | runs the library's open function: for moonwatch's own C        |
// |                   |       | libraries only (LuaState.installCLibrary), which do not raise  |
//
// Everything that can raise otherwise, yield, or run script code (resuming,
// protected calls, tostring with metamethods, tracebacks, closing coroutines,
// error tables, userdata) goes through the mw_ functions of CLuaShim, which
// do it in C (include/mw_shim.h).
