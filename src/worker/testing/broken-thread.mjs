// A thread file that cannot load (a bad build, a missing dependency): it throws before it listens.
throw new Error('cannot load the engine');
