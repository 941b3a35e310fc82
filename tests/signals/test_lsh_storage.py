"""The compact in-memory LSH storage answers exactly like datasketch's dict storage."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from bench_lsh_memory import signatures as _signatures  # random + planted near-copies
from datasketch import MinHashLSH

from archive.signals import dedup, lsh_storage, minhash


def _reference() -> MinHashLSH:
    """datasketch's own in-memory storage, same parameters as make_lsh."""
    return MinHashLSH(threshold=dedup.LSH_THRESHOLD, num_perm=dedup.NUM_PERM, prepickle=False)


@pytest.fixture(scope="module")
def lean() -> list:
    return [minhash.lean_minhash(s, dedup.SEED) for s in _signatures(3000, seed=11)]


def test_make_lsh_in_memory_uses_compact_storage() -> None:
    lsh = dedup.make_lsh()
    assert isinstance(lsh.keys, lsh_storage.KeySet)
    assert all(isinstance(t, lsh_storage.BandTable) for t in lsh.hashtables)
    assert len(lsh.hashtables) == lsh.b


def test_query_candidates_identical_to_dict_storage(lean: list) -> None:
    ref, compact = _reference(), dedup.make_lsh()
    for i, m in enumerate(lean):
        ref.insert(i, m, check_duplication=False)
        compact.insert(i, m, check_duplication=False)
    planted_pairs_found = 0
    for i, m in enumerate(lean):
        expected = set(ref.query(m))
        assert set(compact.query(m)) == expected
        planted_pairs_found += i % 5 == 1 and (i - 1) in expected
    # The planted copies share >= 38 of 128 values: most meet their original in some band.
    assert planted_pairs_found > 0.5 * len(lean) / 5
    assert all(type(c) is int for c in compact.query(lean[1]))


def test_queries_between_inserts_match_dict_storage(lean: list) -> None:
    """The archive's pattern: query each new document, then insert it."""
    ref, compact = _reference(), dedup.make_lsh()
    for i, m in enumerate(lean[:800]):
        assert sorted(compact.query(m)) == sorted(ref.query(m))
        ref.insert(i, m, check_duplication=False)
        compact.insert(i, m, check_duplication=False)


def test_insertion_session_matches_single_inserts(lean: list) -> None:
    ref, session_built = _reference(), dedup.make_lsh()
    for i, m in enumerate(lean):
        ref.insert(i, m, check_duplication=False)
    with session_built.insertion_session() as session:
        for i, m in enumerate(lean):
            session.insert(i, m, check_duplication=False)
            if i == 1500:  # a query inside the session sees the buffered inserts
                assert set(session_built.query(lean[1500])) == set(ref.query(lean[1500])) & set(range(1501))
    for m in lean:
        assert set(session_built.query(m)) == set(ref.query(m))
    assert len(session_built.keys) == len(lean)


def test_growth_rehash_keeps_every_entry(lean: list) -> None:
    compact = dedup.make_lsh()
    table = compact.hashtables[0]
    start = table.capacity
    for i, m in enumerate(lean):
        compact.insert(i, m, check_duplication=False)
    assert table.capacity > start  # 3000 entries do not fit 70% of the initial 1024 slots
    assert table.size() == len(lean)
    assert table.size() <= lsh_storage.MAX_LOAD * table.capacity
    for i, m in enumerate(lean):
        assert i in compact.query(m)


def test_contains_len_and_duplicate_insert(lean: list) -> None:
    compact = dedup.make_lsh()
    assert compact.is_empty()
    compact.insert(7, lean[7])
    assert 7 in compact and 8 not in compact
    assert not compact.is_empty()
    with pytest.raises(ValueError, match="already exists"):
        compact.insert(7, lean[7])  # check_duplication, as datasketch does
    compact.insert(7, lean[7], check_duplication=False)  # same entries again: stored once, like a set
    assert compact.hashtables[0].size() == 1
    assert compact.query(lean[7]) == [7]


def test_pickled_index_answers_the_same(lean: list) -> None:
    compact = dedup.make_lsh()
    with compact.insertion_session() as session:
        for i, m in enumerate(lean[:300]):
            session.insert(i, m, check_duplication=False)
    copy = pickle.loads(pickle.dumps(compact))
    for m in lean[:300]:
        assert sorted(copy.query(m)) == sorted(compact.query(m))
    copy.insert(300, lean[300])
    assert 300 in copy and 300 not in compact


def test_folds_agree_and_spread() -> None:
    rng = np.random.default_rng(3)
    hashes = [rng.integers(0, 256, 12, dtype=np.uint8).tobytes() for _ in range(2000)]
    vector = lsh_storage.fold_band_hashes(hashes)
    assert [int(v) for v in vector] == [lsh_storage.fold_band_hash(h) for h in hashes]
    assert len(set(vector.tolist())) == len(hashes)
    assert len({int(v) & 1023 for v in vector}) > 700  # low bits (the slot) are well mixed
    # widths not a multiple of 8 and longer than 8
    odd = [rng.integers(0, 256, 20, dtype=np.uint8).tobytes() for _ in range(50)]
    assert [int(v) for v in lsh_storage.fold_band_hashes(odd)] == [lsh_storage.fold_band_hash(h) for h in odd]


def test_unsupported_operations_say_so(lean: list) -> None:
    compact = dedup.make_lsh()
    compact.insert(1, lean[1])
    with pytest.raises(NotImplementedError, match="remove"):
        compact.remove(1)
    with pytest.raises(TypeError, match="integer keys"):
        compact.insert("doc", lean[2])
    with pytest.raises(TypeError, match="integer keys"):
        compact.insert(-1, lean[2])


def test_redis_config_keeps_datasketch_storage() -> None:
    lsh = dedup.make_lsh({"type": "dict"})
    assert not isinstance(lsh.keys, lsh_storage.KeySet)
