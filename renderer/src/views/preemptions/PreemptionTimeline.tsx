// The timeline: one lane per cluster, one mark per preempted or requeued run, from its start to the moment
// it was ended, coloured by QOS (filled: preempted by the scheduler; outlined: requeued by a person). Drawn
// on a canvas (a month of a busy cluster is thousands of marks); hovering a mark shows the run.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PreemptedRun } from '../../../../shared/api/methods/preemptions';
import { formatDuration, formatGpuHours, formatTime } from '../../format';
import { formatGpuSeconds } from './time-window';

const LANE = 26;
const AXIS = 22;
const LABEL = 70;
const MIN_MARK = 3;

interface Mark {
  run: PreemptedRun;
  x0: number;
  x1: number;
  lane: number;
}

function layout(runs: readonly PreemptedRun[], lanes: readonly string[], from: number, to: number, width: number): Mark[] {
  const span = Math.max(1, to - from);
  const px = (t: number) => LABEL + ((Math.min(Math.max(t, from), to) - from) / span) * (width - LABEL - 8);
  return runs.map((run) => {
    const x1 = px(run.endTime);
    const x0 = Math.min(px(run.startTime ?? run.endTime), x1 - MIN_MARK);
    return { run, x0, x1, lane: lanes.indexOf(run.cluster) };
  });
}

function ticks(from: number, to: number): number[] {
  const span = to - from;
  const steps = [3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];
  const step = steps.find((s) => span / s <= 8) ?? 14 * 86400;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

export function PreemptionTimeline({ runs, lanes, from, to, colours }: { runs: readonly PreemptedRun[]; lanes: readonly string[]; from: number; to: number; colours: Map<string, string> }) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<{ mark: Mark; x: number; y: number } | null>(null);
  const height = AXIS + Math.max(1, lanes.length) * LANE;

  useEffect(() => {
    const el = wrap.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setWidth(Math.max(300, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const marks = useMemo(() => layout(runs, lanes, from, to, width), [runs, lanes, from, to, width]);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const style = getComputedStyle(c);
    const fg = style.getPropertyValue('--fg').trim() || '#222';
    const line = style.getPropertyValue('--line').trim() || '#ccc';
    const muted = style.getPropertyValue('--muted').trim() || '#888';
    ctx.clearRect(0, 0, width, height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    lanes.forEach((name, i) => {
      const y = i * LANE;
      ctx.fillStyle = fg;
      ctx.fillText(name, 4, y + LANE / 2);
      ctx.strokeStyle = line;
      ctx.beginPath();
      ctx.moveTo(LABEL, y + LANE - 0.5);
      ctx.lineTo(width - 8, y + LANE - 0.5);
      ctx.stroke();
    });
    const span = Math.max(1, to - from);
    ctx.fillStyle = muted;
    ctx.textBaseline = 'top';
    for (const t of ticks(from, to)) {
      const x = LABEL + ((t - from) / span) * (width - LABEL - 8);
      ctx.strokeStyle = line;
      ctx.beginPath();
      ctx.moveTo(x + 0.5, 0);
      ctx.lineTo(x + 0.5, lanes.length * LANE);
      ctx.stroke();
      const label = span > 2 * 86400 ? new Date(t * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }) : new Date(t * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
      ctx.fillText(label, Math.min(x + 2, width - 50), lanes.length * LANE + 5);
    }
    for (const m of marks) {
      if (m.lane < 0) continue;
      const colour = colours.get(m.run.qos) ?? fg;
      const y = m.lane * LANE + 5;
      const h = LANE - 10;
      if (m.run.state === 'PREEMPTED') {
        ctx.fillStyle = colour;
        ctx.globalAlpha = 0.75;
        ctx.fillRect(m.x0, y, m.x1 - m.x0, h);
        ctx.globalAlpha = 1;
      } else {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(m.x0 + 0.75, y + 0.75, m.x1 - m.x0 - 1.5, h - 1.5);
        ctx.lineWidth = 1;
      }
      // The moment it was ended: a dark tick, the part of the mark that matters most.
      ctx.fillStyle = fg;
      ctx.fillRect(m.x1 - 1, y - 2, 2, h + 4);
    }
  }, [marks, lanes, from, to, width, height, colours]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    const lane = Math.floor((e.clientY - r.top) / LANE);
    let best: Mark | null = null;
    let bestD = 6;
    for (const m of marks) {
      if (m.lane !== lane) continue;
      const d = x < m.x0 ? m.x0 - x : x > m.x1 ? x - m.x1 : 0;
      if (d < bestD || (d === 0 && best !== null && Math.abs(x - m.x1) < Math.abs(x - best.x1))) {
        best = m;
        bestD = d;
      }
    }
    setHover(best ? { mark: best, x, y: e.clientY - r.top } : null);
  };

  const h = hover?.mark.run;
  return (
    <div className="pre-timeline" ref={wrap}>
      <canvas
        ref={canvas}
        data-testid="preemption-timeline"
        data-marks={marks.length}
        role="img"
        aria-label={`timeline of ${runs.length} preempted or requeued runs`}
        style={{ width: `${width}px`, height: `${height}px` }}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
      />
      {h && hover && (
        <div className="pre-tip" role="tooltip" style={{ left: `${Math.min(hover.x + 12, width - 260)}px`, top: `${hover.y + 12}px` }}>
          <strong>
            {h.cluster} job {h.jobId}
          </strong>{' '}
          {h.state.toLowerCase()}
          <br />
          {h.user} · {h.account} · {h.partition} · QOS {h.qos}
          <br />
          {h.gpus} GPU · ran {formatDuration(h.lostSeconds)} · lost {formatGpuSeconds(h.gpuSecondsLost, formatGpuHours)}
          <br />
          ended {formatTime(h.endTime)}
          {h.preemptor && (
            <>
              <br />
              inferred preemptor: job {h.preemptor.jobId} ({h.preemptor.secondsAfter} s after)
            </>
          )}
        </div>
      )}
    </div>
  );
}
