"""Everything that changes a mission or someone's place in it.

- :mod:`.base`: finding a mission (of the actor's commune) and a volunteer's
  participation, announcing a change to the live boards;
- :mod:`.places`: the one conditional UPDATE that counts the places taken and
  keeps the status open/full (the race-safety of every acceptance rests on it);
- :mod:`.lifecycle`: the referent's moves (publish, mark done);
- :mod:`.control`: the referent's control of a published mission (edit, cancel, take a
  volunteer off, hand their place to another) and the expiry of unfilled past missions;
- :mod:`.participation`: the volunteer's moves (accept, decline, withdraw) and a
  referent's direct assignment;
- :mod:`.waitlist`: the waiting list of a full collective action;
- :mod:`.confirmation`: the volunteer's account of a mission afterwards.
"""
