using System.Buffers.Binary;
using System.Text;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>Builds encoded pubsub Messages (and RPC frames carrying them) the way a remote node would.</summary>
internal static class TestMessages
{
    public static byte[] Signed(FakeIdentity author, string topic, byte[] data, ulong seqno) =>
        Signed(author, topic, data, seqno, static fields => fields);

    /// <summary>A StrictSign message whose fields <paramref name="tamper"/> may alter after signing.</summary>
    public static byte[] Signed(
        FakeIdentity author, string topic, byte[] data, ulong seqno, Func<Fields, Fields> tamper)
    {
        var seq = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, seqno);
        var fields = new Fields(author.PeerIdBytes, data, seq, Encoding.UTF8.GetBytes(topic), null, author.PublicKeyBytes);
        var unsigned = fields.ToMessageFields(withAuthentication: false);
        var payload = new byte[MessageEncoder.GetSignaturePayloadSize(unsigned)];
        MessageEncoder.WriteSignaturePayload(unsigned, payload);
        var signature = new byte[author.MaxSignatureLength];
        author.Sign(payload, signature);
        return Encode(tamper(fields with { Signature = signature }));
    }

    public static byte[] Unsigned(string topic, byte[] data) =>
        Encode(new Fields(null, data, null, Encoding.UTF8.GetBytes(topic), null, null));

    public static byte[] Encode(Fields fields)
    {
        var message = fields.ToMessageFields(withAuthentication: true);
        var bytes = new byte[MessageEncoder.GetSize(message)];
        MessageEncoder.Write(message, bytes);
        return bytes;
    }

    /// <summary>An RPC frame publishing <paramref name="messages"/>.</summary>
    public static byte[] PublishFrame(params byte[][] messages)
    {
        var builder = new RpcBuilder();
        foreach (var message in messages)
            builder.AddMessage(message);
        return Frame(builder);
    }

    public static byte[] Frame(RpcBuilder builder)
    {
        var frame = new byte[builder.FrameSize];
        builder.WriteFrame(frame);
        return frame;
    }

    /// <summary>Message fields; null means absent.</summary>
    public sealed record Fields(byte[]? From, byte[]? Data, byte[]? Seqno, byte[]? Topic, byte[]? Signature, byte[]? Key)
    {
        public MessageFields ToMessageFields(bool withAuthentication)
        {
            var present = MessageFieldFlags.None;
            if (From is not null) present |= MessageFieldFlags.From;
            if (Data is not null) present |= MessageFieldFlags.Data;
            if (Seqno is not null) present |= MessageFieldFlags.Seqno;
            if (Topic is not null) present |= MessageFieldFlags.Topic;
            if (withAuthentication && Signature is not null) present |= MessageFieldFlags.Signature;
            if (withAuthentication && Key is not null) present |= MessageFieldFlags.Key;
            return new MessageFields
            {
                Present = present,
                From = From,
                Data = Data,
                Seqno = Seqno,
                Topic = Topic,
                Signature = withAuthentication ? Signature : null,
                Key = withAuthentication ? Key : null,
            };
        }
    }

    /// <summary>The js StrictSign id of a message: protobuf(key) ‖ seqno.</summary>
    public static byte[] JsId(FakeIdentity author, ulong seqno)
    {
        var id = new byte[author.PublicKeyBytes.Length + 8];
        author.PublicKeyBytes.CopyTo(id, 0);
        BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(author.PublicKeyBytes.Length), seqno);
        return id;
    }
}
