#!/usr/bin/env node
// Reads perf.mjs result lines (stdin, one JSON object per run) and prints, per implementation, the medians over its
// runs, then the ratios of the second implementation to the first (by order of first appearance). "lat. lost": latency
// messages that did not arrive within 5 s (all runs); "delivered %": of the messages the throughput phase wrote,
// the share that ever arrived.
import { text } from 'node:stream/consumers'

const runs = (await text(process.stdin)).split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line))
const names = [...new Set(runs.map(run => run.name))]

function median (numbers) {
  const sorted = [...numbers].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const rows = names.map(name => {
  const mine = runs.filter(run => run.name === name)
  return {
    name,
    runs: mine.length,
    p50Ms: median(mine.map(run => run.p50Ms)),
    p99Ms: median(mine.map(run => run.p99Ms)),
    msgPerSec: median(mine.map(run => run.msgPerSec)),
    latencyLost: mine.reduce((sum, run) => sum + run.latencyLost, 0),
    // Of the throughput phase's messages, the share that ever arrived (a publisher that drops under load shows here).
    deliveredPercent: 100 * mine.reduce((sum, run) => sum + run.delivered, 0) / mine.reduce((sum, run) => sum + run.sent, 0)
  }
})

const line = cells => cells.map((cell, i) => i === 0 ? String(cell).padEnd(10) : String(cell).padStart(12)).join(' ')
console.log('GossipSub, Ed25519, StrictSign, 100-byte messages, two processes on loopback (medians over runs)')
console.log(line(['', 'runs', 'p50 ms', 'p99 ms', 'lat. lost', 'msg/s', 'delivered %']))
for (const row of rows) {
  console.log(line([row.name, row.runs, row.p50Ms.toFixed(3), row.p99Ms.toFixed(3), row.latencyLost, Math.round(row.msgPerSec), row.deliveredPercent.toFixed(1)]))
}
if (rows.length === 2) {
  const [base, other] = rows
  console.log(line([`${other.name}/${base.name}`, '', (other.p50Ms / base.p50Ms).toFixed(2), (other.p99Ms / base.p99Ms).toFixed(2), '', (other.msgPerSec / base.msgPerSec).toFixed(2), '']))
}
