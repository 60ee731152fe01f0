"""The throughput benchmark runs callqa in several processes, as the scan does: the calls dealt
out in turn come back in their places, wall time is the slowest process's, CPU and memory add up."""

from benchmarks.throughput import gathered


def _part(paths: list[str], wall: float, cpu: float, rss: int) -> dict:
    return {
        "wall": wall,
        "cpu": sum(cpu for _ in paths),
        "max_rss": rss,
        "calls": [{"cpu": cpu, "fallbacks": 0, "path": path} for path in paths],
        "heard": [[{"text": path}] for path in paths],
    }


def test_calls_dealt_to_processes_come_back_in_call_order():
    paths = [f"call{i}.wav" for i in range(7)]
    parts = [_part(paths[0::3], 30.0, 2.0, 600), _part(paths[1::3], 41.5, 3.0, 700), _part(paths[2::3], 12.0, 1.0, 650)]

    result = gathered(parts)

    assert [heard[0]["text"] for heard in result["heard"]] == paths
    assert [call["path"] for call in result["calls"]] == paths
    assert result["wall"] == 41.5
    assert result["cpu"] == 3 * 2.0 + 2 * 3.0 + 2 * 1.0
    assert result["peak_rss"] == 600 + 700 + 650


def test_one_process_is_its_own_result():
    part = _part(["a.wav", "b.wav"], 9.0, 4.0, 500)

    result = gathered([part])

    assert result["heard"] == part["heard"] and result["calls"] == part["calls"]
    assert (result["wall"], result["cpu"], result["peak_rss"]) == (9.0, 8.0, 500)
