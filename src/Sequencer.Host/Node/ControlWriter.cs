using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Node;

/// <summary>
/// The node → controller half of the control protocol (NODE §2): one JSON object per line, <c>"event"</c> first,
/// written whole and in order from any thread (each line is built in a reused buffer under a lock and written with one
/// call). A reader that went away (EPIPE) silences the output, never the node.
/// <para><c>ready</c> is the first line: events the node reports while it starts (its first connections) are held
/// and written right after it.</para>
/// </summary>
internal sealed class ControlWriter(Stream output) : IValidatorNodeListener, IDisposable
{
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _json = new(new ArrayBufferWriter<byte>(1), new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private List<byte[]>? _held = [];
    private bool _broken;

    public void Ready(ValidatorNode node, int processId)
    {
        lock (_gate)
        {
            Begin("ready");
            _json.WriteNumber("index", node.Index);
            _json.WriteString("peerId", node.PeerId.ToString());
            _json.WriteStartArray("addrs");
            foreach (var address in node.ListenAddresses)
                _json.WriteStringValue(address.ToString());
            _json.WriteEndArray();
            _json.WriteNumber("metricsPort", node.MetricsPort);
            _json.WriteNumber("pid", processId);
            var held = _held;
            _held = null;
            End();
            foreach (var line in held ?? [])
                Write(line);
        }
    }

    public void OnPeersChanged(int connected)
    {
        lock (_gate)
        {
            Begin("peers");
            _json.WriteNumber("connected", connected);
            End();
        }
    }

    public void OnCommitteeDrawn(ulong height, Hash32 block, PeerList committee)
    {
        lock (_gate)
        {
            Begin("committee");
            _json.WriteNumber("height", height);
            _json.WriteString("block", block.ToString());
            _json.WriteStartArray("main");
            foreach (var member in committee.MainPeers)
                _json.WriteNumberValue(member.Index);
            _json.WriteEndArray();
            _json.WriteStartArray("backups");
            foreach (var backup in committee.BackupPeers)
                _json.WriteNumberValue(backup.Index);
            _json.WriteEndArray();
            End();
        }
    }

    public void Outcome(ulong height, Hash32 block, RoundOutcome outcome, double latencyMs)
    {
        lock (_gate)
        {
            Begin("outcome");
            _json.WriteNumber("height", height);
            _json.WriteString("block", block.ToString());
            switch (outcome)
            {
                case RoundOutcome.Accepted accepted:
                    _json.WriteString("outcome", "accepted");
                    _json.WriteNumber("latencyMs", Math.Round(latencyMs, 3));
                    _json.WriteNumber("signers", SignersOf(accepted.Certificate));
                    break;
                case RoundOutcome.Rejected rejected:
                    _json.WriteString("outcome", "rejected");
                    _json.WriteNumber("latencyMs", Math.Round(latencyMs, 3));
                    _json.WriteNumber("signers", SignersOf(rejected.Certificate));
                    break;
                case RoundOutcome.TimedOut timedOut:
                    _json.WriteString("outcome", "timedOut");
                    _json.WriteNumber("latencyMs", Math.Round(latencyMs, 3));
                    _json.WriteString("diagnosis", timedOut.Diagnosis.ToString());
                    break;
            }
            End();
        }
    }

    public void OnCertificate(ulong height, Hash32 block, Decision value)
    {
        lock (_gate)
        {
            Begin("certificate");
            _json.WriteNumber("height", height);
            _json.WriteString("block", block.ToString());
            _json.WriteString("value", value == Decision.Accept ? "accept" : "reject");
            End();
        }
    }

    public void OnSigned(in SignedStatement statement)
    {
        lock (_gate)
        {
            Begin("signed");
            _json.WriteString("kind", statement.Kind == SignedKind.Vote ? "vote" : "attestation");
            _json.WriteNumber("signer", statement.Signer);
            _json.WriteNumber("height", statement.Height);
            _json.WriteString("block", statement.Block.ToString());
            _json.WriteString("value", statement.Value == Decision.Accept ? "accept" : "reject");
            _json.WriteString("digest", statement.Digest.ToString());
            End();
        }
    }

    public void Answer(in DecisionAnswer answer)
    {
        lock (_gate)
        {
            Begin("decision");
            _json.WriteNumber("height", answer.Height);
            _json.WriteString("state", answer.State switch
            {
                DecisionState.Accepted => "accepted",
                DecisionState.Rejected => "rejected",
                DecisionState.TimedOut => "timedOut",
                DecisionState.Pending => "pending",
                _ => "unknown",
            });
            if (answer.Block is { } block)
                _json.WriteString("block", block.ToString());
            End();
        }
    }

    public void Error(string message)
    {
        lock (_gate)
        {
            Begin("error");
            _json.WriteString("message", message);
            End();
        }
    }

    public void Stopped(string reason)
    {
        lock (_gate)
        {
            Begin("stopped");
            _json.WriteString("reason", reason);
            End();
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _json.Dispose();
    }

    private static int SignersOf(ReadOnlyMemory<byte> certificate) =>
        Certificate.TryDecode(new ReadOnlySequence<byte>(certificate), out var decoded).IsOk ? decoded.SignerCount : 0;

    private void Begin(string kind)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        _json.WriteStartObject();
        _json.WriteString("event", kind);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _line.GetSpan(1)[0] = (byte)'\n';
        _line.Advance(1);
        if (_held is not null)
            _held.Add(_line.WrittenSpan.ToArray());
        else
            Write(_line.WrittenSpan);
    }

    private void Write(ReadOnlySpan<byte> line)
    {
        if (_broken)
            return;
        try
        {
            output.Write(line);
            output.Flush();
        }
        catch (IOException)
        {
            _broken = true;
        }
    }
}
