using System.Buffers;
using System.Text.Json;
using Sequencer.Core.Primitives;

namespace Sequencer.Host.Node;

/// <summary>What a control-protocol command asks for (NODE §2).</summary>
internal enum ControlCommandKind
{
    Propose,
    Decision,
    Stop,
}

/// <summary>
/// One stdin line of the control protocol: <c>{"cmd":"propose","height":H,"parent":"hex32","block":"hex32"}</c>,
/// <c>{"cmd":"decision","height":H}</c> or <c>{"cmd":"stop"}</c>. Properties may come in any order; unknown ones are
/// an error (a misspelt field must not silently become a default).
/// </summary>
internal readonly record struct ControlCommand(ControlCommandKind Kind, ulong Height, Hash32 Parent, Hash32 Block)
{
    /// <summary>Parses one line; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(ReadOnlySequence<byte> line, out ControlCommand command, out string error)
    {
        command = default;
        string? name = null;
        ulong? height = null;
        Hash32? parent = null;
        Hash32? block = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "a command is one JSON object per line";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString()!;
                if (!reader.Read())
                    break;
                switch (property)
                {
                    case "cmd" when reader.TokenType == JsonTokenType.String:
                        name = reader.GetString();
                        break;
                    case "height" when reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var value):
                        height = value;
                        break;
                    case "parent" when TryReadHash(ref reader, out var hash):
                        parent = hash;
                        break;
                    case "block" when TryReadHash(ref reader, out var hash):
                        block = hash;
                        break;
                    case "cmd" or "height" or "parent" or "block":
                        error = property switch
                        {
                            "cmd" => "\"cmd\" must be a string",
                            "height" => "\"height\" must be an unsigned 64-bit integer",
                            _ => $"\"{property}\" must be 64 hex digits (32 bytes)",
                        };
                        return false;
                    default:
                        error = $"unknown field \"{property}\"";
                        return false;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "a command is one JSON object per line";
                return false;
            }
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString throws this (not JsonException) for a name or string that is not UTF-8; left uncaught it would
            // end the stdin reader, and with it the node's stop on end of input.
            error = "not JSON: a name or string is not valid UTF-8";
            return false;
        }

        switch (name)
        {
            case null:
                error = "missing \"cmd\"";
                return false;
            case "propose":
                if (height is null || parent is null || block is null)
                {
                    error = "propose needs \"height\", \"parent\" and \"block\"";
                    return false;
                }
                command = new ControlCommand(ControlCommandKind.Propose, height.Value, parent.Value, block.Value);
                break;
            case "decision":
                if (height is null)
                {
                    error = "decision needs \"height\"";
                    return false;
                }
                command = new ControlCommand(ControlCommandKind.Decision, height.Value, default, default);
                break;
            case "stop":
                command = new ControlCommand(ControlCommandKind.Stop, 0, default, default);
                break;
            default:
                error = $"unknown command \"{name}\" (known: propose, decision, stop)";
                return false;
        }
        error = "";
        return true;
    }

    private static bool TryReadHash(ref Utf8JsonReader reader, out Hash32 hash)
    {
        hash = default;
        // A line that straddles two of the stdin pipe's buffer segments can split the string: then only ValueSequence holds it.
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (reader.TokenType != JsonTokenType.String || length != 2 * Hash32.Length || reader.ValueIsEscaped)
            return false;
        Span<byte> hex = stackalloc byte[2 * Hash32.Length];
        if (reader.HasValueSequence)
            reader.ValueSequence.CopyTo(hex);
        else
            reader.ValueSpan.CopyTo(hex);
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done || written != Hash32.Length)
            return false;
        hash = Hash32.FromSpan(bytes);
        return true;
    }
}
