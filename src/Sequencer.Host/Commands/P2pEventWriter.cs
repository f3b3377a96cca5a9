using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;
using Sequencer.Net.Host;
using Sequencer.Net.PubSub;

namespace Sequencer.Host.Commands;

/// <summary>
/// The event lines of <c>sequencer p2p</c>, whole and in order from any thread. Each line is built under a lock into
/// a pending buffer; a writer thread of its own moves whatever is pending to the output in one call. So the thread
/// that delivers a message never waits on the output, and when messages come faster than one write per message,
/// the lines of many go out together (one system call, one wake-up of the reader) instead of one by one. The pending
/// buffer is bounded: past <see cref="PendingLimit"/> bytes the threads producing events wait for the writer, which
/// keeps the backpressure of a slow reader reaching the network. A reader that went away (EPIPE) silences the output
/// rather than the node. <see cref="Dispose"/> writes what is pending before it returns.
/// </summary>
internal sealed class P2pEventWriter : IDisposable
{
    public const int PendingLimit = 1 << 20;

    private readonly Lock _gate = new();
    private readonly Stream _output;
    private readonly Utf8JsonWriter _json;
    private readonly Thread _writer;
    // No spinning before the writer sleeps: it would burn the core that delivers the messages (profiled: 5 % of it).
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private readonly ManualResetEventSlim _room = new(initialState: true);
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _writing = new(64 * 1024);
    private char[] _hex = new char[256];
    // The base58 text of the author last printed: a subscriber sees the same few authors over and over.
    private byte[] _lastFrom = [];
    private string _lastFromText = "";
    private bool _writerBusy;
    private bool _closing;
    private bool _disposed;
    private volatile bool _broken;

    /// <param name="output">Where the lines go (stdout); disposed with the writer.</param>
    public P2pEventWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_pending, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "p2p events" };
        _writer.Start();
    }

    public void Ready(Libp2pHost host)
    {
        lock (_gate)
        {
            Begin("ready");
            _json.WriteString("peerId", host.PeerId.ToString());
            _json.WriteStartArray("addrs");
            foreach (var address in host.ListenAddresses)
                _json.WriteStringValue(address.ToString());
            _json.WriteEndArray();
            End();
        }
        WaitForRoom();
    }

    public void Connected(PeerConnection connection)
    {
        lock (_gate)
        {
            Begin("connected");
            _json.WriteString("peer", connection.RemotePeer.ToString());
            _json.WriteString("direction", connection.Direction == ConnectionDirection.Inbound ? "inbound" : "outbound");
            _json.WriteString("encryption", connection.Security);
            _json.WriteString("muxer", connection.Muxer);
            _json.WriteBoolean("muxerInNoise", connection.MuxerInNoise);
            End();
        }
        WaitForRoom();
    }

    public void Disconnected(PeerConnection connection)
    {
        lock (_gate)
        {
            Begin("disconnected");
            _json.WriteString("peer", connection.RemotePeer.ToString());
            if (connection.CloseReason is HostException { Error: not HostError.ConnectionClosed } reason)
                _json.WriteString("reason", reason.Message);
            End();
        }
        WaitForRoom();
    }

    public void Message(PubSubMessage message, bool authored)
    {
        var from = (authored ? message.From : message.ReceivedFrom).Span;
        var data = message.Data.Span;
        lock (_gate)
        {
            if (!from.SequenceEqual(_lastFrom))
            {
                _lastFrom = from.ToArray();
                _lastFromText = Base58.Encode(from);
            }
            if (_hex.Length < 2 * data.Length)
                _hex = new char[Math.Max(2 * data.Length, 2 * _hex.Length)];
            Convert.TryToHexStringLower(data, _hex, out var written);
            Begin("message");
            _json.WriteString("topic", message.Topic);
            _json.WriteString("from", _lastFromText);
            _json.WriteString("data", _hex.AsSpan(0, written));
            End();
        }
        WaitForRoom();
    }

    public void Ping(PeerId peer, TimeSpan rtt)
    {
        lock (_gate)
        {
            Begin("ping");
            _json.WriteString("peer", peer.ToString());
            _json.WriteNumber("rttMs", Math.Round(rtt.TotalMilliseconds, 3));
            End();
        }
        WaitForRoom();
    }

    public void Error(string message)
    {
        lock (_gate)
        {
            Begin("error");
            _json.WriteString("message", message);
            End();
        }
        WaitForRoom();
    }

    /// <summary>Writes what is pending, stops the writer thread and closes the output.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _closing = true;
            if (!_writerBusy)
            {
                _writerBusy = true;
                _wake.Set();
            }
        }
        _writer.Join();
        _json.Dispose();
        _output.Dispose();
        _wake.Dispose();
        _room.Dispose();
    }

    private void Begin(string kind)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _json.Reset(_pending);
        _json.WriteStartObject();
        _json.WriteString("event", kind);
    }

    // Under _gate: ends the line and hands it to the writer thread (woken only when it is idle).
    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pending.GetSpan(1)[0] = (byte)'\n';
        _pending.Advance(1);
        if (_broken)
            _pending.ResetWrittenCount();
        if (_pending.WrittenCount > PendingLimit)
            _room.Reset();
        if (!_writerBusy)
        {
            _writerBusy = true;
            _wake.Set();
        }
    }

    // Outside _gate: a producer ahead of the writer by more than the limit waits until the writer took the lines.
    private void WaitForRoom() => _room.Wait();

    private void WriteLoop()
    {
        while (true)
        {
            // Set only while the writer is idle, so no signal is lost between these two calls.
            _wake.Wait();
            _wake.Reset();
            bool closing;
            while (true)
            {
                lock (_gate)
                {
                    closing = _closing;
                    if (_pending.WrittenCount == 0)
                    {
                        _writerBusy = false;
                        break;
                    }
                    (_pending, _writing) = (_writing, _pending);
                    _room.Set();
                }
                Write(_writing.WrittenSpan);
                _writing.ResetWrittenCount();
            }
            if (closing)
                return;
        }
    }

    private void Write(ReadOnlySpan<byte> lines)
    {
        if (_broken)
            return;
        try
        {
            _output.Write(lines);
            _output.Flush();
        }
        catch (IOException)
        {
            _broken = true;
        }
    }
}
