-- scope_tables: a cursor's scope (mic_tracker.scope): the divisions it may read, the actor
-- whose own audit rows it may read. Filled with bound values by scope_division/scope_actor.
create temp table scope_divisions (code varchar);
create temp table scope_actor (actor varchar);
