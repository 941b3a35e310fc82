"""Compact in-memory storage for datasketch's ``MinHashLSH`` (integer keys).

datasketch's default in-memory storage is a ``defaultdict(set)`` per band plus
a ``defaultdict(list)`` of every key's band hashes: one ``bytes`` object, one
set and one dict entry per (band, document), about 11-12 KB per document at 37
bands, i.e. ~11 GB at 1M documents.  This module keeps ``MinHashLSH`` itself
(its banding, its ``_H`` band hash, ``insert``/``query``/``insertion_session``/
``__contains__``) and replaces only its storage objects:

- each band (``lsh.hashtables[i]``) is ``BandTable``: an open-addressing
  multimap (linear probing) of two numpy arrays, a 64-bit fold of the band hash
  and the int32 document id, kept at most 70% full and doubled (rehashed) when
  it would pass that; about 12 bytes x 1.3-2.7 slots per (band, document);
- ``lsh.keys`` is ``KeySet``: a Python set of the document ids (``in`` and
  ``len``); the band hashes of a key are not kept, so ``remove`` (which needs
  them) is not supported -- the archive never removes from the LSH (a
  rolled-back insert is made harmless by the exact check, see dedup.py).

Band hashes are folded to 64 bits (``fold_band_hash``).  Two different band
hashes folding to the same 64 bits would only add a candidate, which the exact
shingle-Jaccard check of every candidate then rejects; with ~1M entries per
band the chance of any such collision is ~1e-7.

Buffered inserts (``insertion_session``, how ``DedupIndex`` loads an archive)
are collected per band and placed in vectorised rounds; single inserts (one
new document) are placed one slot probe at a time.  Any read flushes the
buffer first, so queries inside a session see every earlier insert.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any, NoReturn

import numpy as np
from datasketch import MinHashLSH

_MASK = (1 << 64) - 1
_FOLD_PRIME = (1 << 64) - 59  # the largest prime below 2**64
_MIX1 = 0xBF58476D1CE4E5B9  # splitmix64 finaliser, so the low bits (the slot) are well mixed
_MIX2 = 0x94D049BB133111EB
_EMPTY = -1  # value marking an empty slot (document ids are >= 0)
_MAX_ID = np.iinfo(np.int32).max
MAX_LOAD = 0.7
INITIAL_CAPACITY = 1024
FLUSH_AT = 4096  # buffered entries per band placed in one vectorised pass (bounds the buffer's memory)


def _unsupported(what: str) -> NoReturn:
    raise NotImplementedError(
        f"compact in-memory LSH storage does not support {what}: it keeps no band hashes per key "
        "(the archive only inserts and queries); use storage_config={'type': 'dict'} for that"
    )


def fold_band_hash(band_hash: bytes) -> int:
    """A stable 64-bit fold of one band hash: the whole byte string reduced modulo a
    64-bit prime (injective below 2**64, so a collision needs two band hashes equal
    modulo P), then a multiply-xorshift mix so that the low bits, the slot, depend on
    every byte (MinHash values are minima, so their high bits are mostly zero)."""
    x = (int.from_bytes(band_hash, "little") % _FOLD_PRIME) * _MIX1 & _MASK
    x ^= x >> 29
    x = x * _MIX2 & _MASK
    return x ^ (x >> 32)


def fold_band_hashes(band_hashes: list[bytes]) -> np.ndarray:
    """``fold_band_hash`` of many band hashes (uint64 array)."""
    return np.fromiter(map(fold_band_hash, band_hashes), dtype=np.uint64, count=len(band_hashes))


class BandTable:
    """One band's buckets: band hash -> set of document ids (datasketch ``UnorderedStorage`` API)."""

    def __init__(self, capacity: int = INITIAL_CAPACITY) -> None:
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._vals = np.full(capacity, _EMPTY, dtype=np.int32)
        self._views()
        self._count = 0  # occupied slots: distinct (band hash, id) entries
        self._pending_hashes: list[bytes] = []
        self._pending_ids: list[int] = []
        self.buffer_size = 50000  # set by MinHashLSH.insertion_session; buffering is bounded by FLUSH_AT

    def _views(self) -> None:
        # Single probes index memoryviews: they give Python ints, 3x faster than numpy scalars.
        self._key_view = memoryview(self._keys)
        self._val_view = memoryview(self._vals)

    def __getstate__(self) -> dict[str, Any]:
        self.empty_buffer()
        return {k: v for k, v in self.__dict__.items() if k not in ("_key_view", "_val_view")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._views()

    @property
    def capacity(self) -> int:
        return len(self._vals)

    def nbytes(self) -> int:
        return self._keys.nbytes + self._vals.nbytes

    # -- writing -----------------------------------------------------------------
    def insert(self, key: bytes, *vals: Hashable, buffer: bool = False) -> None:
        for val in vals:
            doc_id = _check_id(val)
            if buffer:
                self._pending_hashes.append(key)
                self._pending_ids.append(doc_id)
                if len(self._pending_ids) >= FLUSH_AT:
                    self.empty_buffer()
            else:
                if self._pending_ids:
                    self.empty_buffer()
                self._insert_one(fold_band_hash(key), doc_id)

    def _insert_one(self, folded: int, doc_id: int) -> None:
        if self._count + 1 > MAX_LOAD * len(self._val_view):
            self._grow(self._count + 1)
        keys, vals = self._key_view, self._val_view
        mask = len(vals) - 1
        slot = folded & mask
        while True:
            val = vals[slot]
            if val == _EMPTY:
                keys[slot] = folded
                vals[slot] = doc_id
                self._count += 1
                return
            if val == doc_id and keys[slot] == folded:
                return  # already there: a set, like datasketch's DictSetStorage
            slot = (slot + 1) & mask

    def empty_buffer(self) -> None:
        if not self._pending_ids:
            return
        folded = fold_band_hashes(self._pending_hashes)
        ids = np.asarray(self._pending_ids, dtype=np.int32)
        self._pending_hashes, self._pending_ids = [], []
        # Duplicates inside the batch would race for two slots; keep one of each pair.
        order = np.lexsort((ids, folded))
        folded, ids = folded[order], ids[order]
        keep = np.ones(len(ids), dtype=bool)
        keep[1:] = (folded[1:] != folded[:-1]) | (ids[1:] != ids[:-1])
        folded, ids = folded[keep], ids[keep]
        if self._count + len(ids) > MAX_LOAD * self.capacity:
            self._grow(self._count + len(ids))
        self._count += _place(self._keys, self._vals, folded, ids)

    def _grow(self, needed: int) -> None:
        capacity = self.capacity
        while needed > MAX_LOAD * capacity:
            capacity *= 2
        occupied = self._vals != _EMPTY
        old_keys, old_vals = self._keys[occupied], self._vals[occupied]
        self._key_view.release()
        self._val_view.release()
        self._keys = np.zeros(capacity, dtype=np.uint64)
        self._vals = np.full(capacity, _EMPTY, dtype=np.int32)
        del occupied
        _place(self._keys, self._vals, old_keys, old_vals)
        self._views()

    # -- reading -----------------------------------------------------------------
    def get(self, key: bytes) -> set[int]:
        if self._pending_ids:
            self.empty_buffer()
        folded = fold_band_hash(key)
        keys, vals = self._key_view, self._val_view
        mask = len(vals) - 1
        slot = folded & mask
        found: set[int] = set()
        while True:
            val = vals[slot]
            if val == _EMPTY:
                return found
            if keys[slot] == folded:
                found.add(val)
            slot = (slot + 1) & mask

    def getmany(self, *keys: bytes) -> list[set[int]]:
        return [self.get(k) for k in keys]

    def size(self) -> int:
        """Stored (band hash, id) entries: zero exactly when datasketch's count of buckets is."""
        self.empty_buffer()
        return self._count

    def __len__(self) -> int:
        return self.size()

    def has_key(self, key: bytes) -> bool:
        return bool(self.get(key))

    def __contains__(self, key: bytes) -> bool:
        return self.has_key(key)

    # Buffered queries (datasketch's Cassandra path) would need the hashes per query kept here.
    def add_to_select_buffer(self, keys: list[bytes]) -> None:
        _unsupported("buffered queries (add_to_query_buffer)")

    def collect_select_buffer(self) -> list[set[int]]:
        _unsupported("buffered queries (collect_query_buffer)")

    def remove(self, *keys: bytes, **kwargs: Any) -> None:
        _unsupported("remove")

    def remove_val(self, key: bytes, val: Hashable, **kwargs: Any) -> None:
        _unsupported("remove")

    def itemcounts(self, **kwargs: Any) -> dict[bytes, int]:
        _unsupported("get_counts (band hashes are stored folded)")

    def keys(self) -> NoReturn:
        _unsupported("listing band hashes (they are stored folded)")


def _place(keys: np.ndarray, vals: np.ndarray, folded: np.ndarray, ids: np.ndarray) -> int:
    """Linear-probe ``(folded, ids)`` (no duplicate pairs) into the table in rounds; return how many were new.

    Each round every unplaced entry looks at its current slot: an equal entry
    means it is already stored; an empty slot is taken by the first entry aiming
    at it; everyone else moves one slot on.  Without deletions an equal entry
    always lies before the first empty slot of the probe sequence.
    """
    mask = np.uint64(len(vals) - 1)
    slot = (folded & mask).astype(np.int64)
    placed = 0
    while len(ids):
        here_vals = vals[slot]
        here_keys = keys[slot]
        present = (here_vals == ids) & (here_keys == folded)
        empty = here_vals == _EMPTY
        empty_at = np.flatnonzero(empty)
        _, first = np.unique(slot[empty_at], return_index=True)
        winners = empty_at[first]
        keys[slot[winners]] = folded[winners]
        vals[slot[winners]] = ids[winners]
        placed += len(winners)
        done = present
        done[winners] = True
        left = ~done
        folded, ids = folded[left], ids[left]
        slot = (slot[left] + 1) & int(mask)
    return placed


def _check_id(val: Hashable) -> int:
    if not isinstance(val, (int, np.integer)) or not 0 <= int(val) <= _MAX_ID:
        raise TypeError(f"compact in-memory LSH storage needs integer keys in [0, {_MAX_ID}], got {val!r}")
    return int(val)


class KeySet:
    """The inserted document ids (datasketch ``OrderedStorage`` API without per-key band hashes)."""

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self.buffer_size = 50000

    def insert(self, key: Hashable, *band_hashes: bytes, buffer: bool = False) -> None:
        self._ids.add(_check_id(key))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._ids

    def has_key(self, key: Hashable) -> bool:
        return key in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def size(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def keys(self) -> set[int]:
        return self._ids

    def empty_buffer(self) -> None:
        pass  # inserts into the set are not buffered

    def get(self, key: Hashable) -> NoReturn:
        _unsupported("the band hashes of a key (remove, merge, get_subset_counts)")

    def __getitem__(self, key: Hashable) -> NoReturn:
        self.get(key)

    def getmany(self, *keys: Hashable) -> NoReturn:
        _unsupported("the band hashes of a key (get_subset_counts)")

    def remove(self, *keys: Hashable, **kwargs: Any) -> None:
        _unsupported("remove")


def use_compact_storage(lsh: MinHashLSH) -> MinHashLSH:
    """Swap a fresh, empty in-memory ``MinHashLSH``'s storages for the compact ones; return it."""
    if len(lsh.keys) or lsh.prepickle:
        raise ValueError("compact storage goes into a fresh in-memory MinHashLSH with prepickle=False")
    lsh.hashtables = [BandTable() for _ in range(lsh.b)]
    lsh.keys = KeySet()
    return lsh
