import { describe, expect, it } from 'vitest';
import { DCGM_QUERY, parseDcgmResponse, parsePrometheusUrl, promQueryPath } from '../../../../shared/alerts/util/prometheus';

// An instant-query answer as Prometheus 2.x/3.x gives it for dcgm-exporter 3.x series (labels as the
// exporter sets them; `hpc_job` only where --hpc-job-mapping-dir is used), values are strings.
function series(name: string, host: string, gpu: number, value: string, extra: Record<string, string> = {}) {
  return {
    metric: {
      __name__: name, DCGM_FI_DRIVER_VERSION: '580.159.04', Hostname: host, UUID: `GPU-b2f57cec-4e46-2eac-c33e-f2d4dabc33${gpu}${host.length}`,
      device: `nvidia${gpu}`, gpu: String(gpu), instance: `${host}:9400`, job: 'dcgm', modelName: 'NVIDIA H200', pci_bus_id: `00000000:${18 + gpu}:00.0`, ...extra,
    },
    value: [1795689557.123, value],
  };
}

const ANSWER = {
  status: 'success',
  data: {
    resultType: 'vector',
    result: [
      series('DCGM_FI_DEV_GPU_UTIL', 'gpu01.cluster.local', 0, '100', { hpc_job: '4711' }),
      series('DCGM_FI_DEV_FB_USED', 'gpu01.cluster.local', 0, '1011', { hpc_job: '4711' }),
      series('DCGM_FI_DEV_FB_FREE', 'gpu01.cluster.local', 0, '142760', { hpc_job: '4711' }),
      series('DCGM_FI_DEV_GPU_UTIL', 'gpu02', 1, '0'),
      series('DCGM_FI_DEV_FB_USED', 'gpu02', 1, '0'),
    ],
  },
};

describe('Prometheus / DCGM', () => {
  it('URL: host, port, path prefix; no credentials, no query', () => {
    expect(parsePrometheusUrl('http://prometheus.internal:9090')).toEqual({ ok: true, target: { tls: false, host: 'prometheus.internal', port: 9090, basePath: '' } });
    expect(parsePrometheusUrl('https://mon.example.org/prometheus/')).toEqual({ ok: true, target: { tls: true, host: 'mon.example.org', port: 443, basePath: '/prometheus' } });
    expect(parsePrometheusUrl('http://[fd00::5]:9090')).toEqual({ ok: true, target: { tls: false, host: 'fd00::5', port: 9090, basePath: '' } });
    expect(parsePrometheusUrl('http://admin:secret@prom:9090')).toEqual({ ok: false, message: expect.stringMatching(/no user name or password/) });
    for (const bad of ['prom:9090', 'ftp://prom', 'http://prom:99999', 'http://prom/?x=1', "http://prom;rm -rf /", 'http://-x']) {
      expect(parsePrometheusUrl(bad).ok, bad).toBe(false);
    }
  });

  it('the query path is URL-encoded under the prefix', () => {
    const t = { tls: false, host: 'p', port: 9090, basePath: '/prom' };
    expect(promQueryPath(t)).toBe(`/prom/api/v1/query?query=${encodeURIComponent(DCGM_QUERY)}`);
    expect(DCGM_QUERY).toBe('{__name__=~"DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_FB_USED|DCGM_FI_DEV_FB_FREE"}');
  });

  it('parses a vector: one sample per GPU with memory, the exporter’s job label as a hint', () => {
    const r = parseDcgmResponse(JSON.stringify(ANSWER));
    expect(r.warnings).toEqual([]);
    expect(r.nodes).toEqual(['gpu01.cluster.local', 'gpu02']);
    expect(r.samples).toEqual([
      { node: 'gpu01.cluster.local', gpuIndex: 0, utilPct: 100, memUsedMiB: 1011, memTotalMiB: 143771, jobId: '4711' },
      { node: 'gpu02', gpuIndex: 1, utilPct: 0, memUsedMiB: 0, memTotalMiB: null },
    ]);
  });

  it('an error answer, non-JSON and a matrix are errors with Prometheus’ words', () => {
    expect(() => parseDcgmResponse(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query"' }))).toThrow(/error \(bad_data\): invalid parameter "query"/);
    expect(() => parseDcgmResponse('<html>502 Bad Gateway</html>')).toThrow(/not JSON/);
    expect(() => parseDcgmResponse(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }))).toThrow(/expected a vector/);
  });

  it('series without node or value are skipped and counted; Prometheus warnings are passed on', () => {
    const r = parseDcgmResponse(
      JSON.stringify({
        status: 'success',
        warnings: ['query hit the series limit'],
        data: { resultType: 'vector', result: [{ metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', gpu: '0' }, value: [1, '5'] }, { metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', Hostname: 'n', gpu: '0' }, value: [1, 'NaN'] }, { metric: { __name__: 'DCGM_FI_DEV_GPU_UTIL', instance: 'n7:9400', gpu: '2' }, value: [1, '33'] }] },
      }),
    );
    expect(r.samples).toEqual([{ node: 'n7', gpuIndex: 2, utilPct: 33, memUsedMiB: null, memTotalMiB: null }]);
    expect(r.warnings).toEqual(['Prometheus: query hit the series limit', '2 series without a node, GPU or numeric value were skipped']);
  });
});
