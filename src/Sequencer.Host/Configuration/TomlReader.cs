using System.Globalization;
using System.Text;

namespace Sequencer.Host.Configuration;

/// <summary>
/// Reads the configuration file: a strict subset of TOML 1.0 that is enough for a flat, commented configuration and
/// small enough to check completely.
/// <list type="bullet">
/// <item><c># comments</c>, blank lines, <c>[table]</c> headers (one bare name, each table once);</item>
/// <item><c>key = value</c> with a bare key (<c>A-Za-z0-9_-</c>), each key once per table;</item>
/// <item>values: basic strings <c>"…"</c> (escapes <c>\" \\ \b \t \n \f \r \uXXXX \UXXXXXXXX</c>), literal strings
/// <c>'…'</c>, decimal integers (<c>_</c> between digits allowed, no leading zeros), <c>true</c>/<c>false</c>, and
/// arrays of strings (which may span lines, hold comments and end with a trailing comma).</item>
/// </list>
/// Everything else TOML has (floats, dates, inline tables, dotted or quoted keys, multi-line strings, arrays of tables)
/// is refused with its line and column rather than half-understood: a configuration is read exactly or not at all.
/// </summary>
internal sealed class TomlReader
{
    private readonly string _text;
    private readonly string _sourceName;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private TomlReader(string text, string sourceName)
    {
        _text = text;
        _sourceName = sourceName;
    }

    /// <summary>The entries in file order; keys are "table.key" (or "key" before any table).</summary>
    /// <exception cref="TomlFormatException">The text is outside the accepted subset.</exception>
    public static IReadOnlyList<TomlEntry> Parse(string text, string sourceName)
    {
        var reader = new TomlReader(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text, sourceName);
        return reader.ParseDocument();
    }

    private List<TomlEntry> ParseDocument()
    {
        var entries = new List<TomlEntry>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        var table = "";
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
                return entries;
            var c = _text[_position];
            if (c == '#')
            {
                SkipComment();
                EndOfLine();
            }
            else if (c is '\n' or '\r')
            {
                EndOfLine();
            }
            else if (c == '[')
            {
                var (line, column) = Location;
                _position++;
                if (!AtEnd && _text[_position] == '[')
                    throw Error("arrays of tables ([[…]]) are not supported");
                SkipWhitespace();
                var name = ReadBareKey();
                SkipWhitespace();
                Expect(']', "']' to close the table header");
                if (!tables.Add(name) || keys.Contains(name))
                    throw new TomlFormatException(_sourceName, line, column, $"table [{name}] is defined twice");
                table = name;
                EndOfStatement();
            }
            else
            {
                var (line, column) = Location;
                var key = ReadBareKey();
                var fullKey = table.Length == 0 ? key : table + "." + key;
                SkipWhitespace();
                Expect('=', "'=' after the key");
                SkipWhitespace();
                var value = ReadValue();
                if (!keys.Add(fullKey) || tables.Contains(fullKey))
                    throw new TomlFormatException(_sourceName, line, column, $"key '{fullKey}' is defined twice");
                entries.Add(new TomlEntry(fullKey, line, column, value));
                EndOfStatement();
            }
        }
    }

    private bool AtEnd => _position >= _text.Length;

    private (int Line, int Column) Location => (_line, _position - _lineStart + 1);

    private TomlFormatException Error(string problem)
    {
        var (line, column) = Location;
        return new TomlFormatException(_sourceName, line, column, problem);
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && _text[_position] is ' ' or '\t')
            _position++;
    }

    private void SkipComment()
    {
        while (!AtEnd && _text[_position] is not ('\n' or '\r'))
        {
            var c = _text[_position];
            if (c < ' ' && c != '\t' || c == '\u007F')
                throw Error($"control character U+{(int)c:X4} in a comment");
            _position++;
        }
    }

    /// <summary>Consumes one line ending ("\n" or "\r\n"), or nothing at the end of the text.</summary>
    private void EndOfLine()
    {
        if (AtEnd)
            return;
        if (_text[_position] == '\r')
        {
            if (_position + 1 >= _text.Length || _text[_position + 1] != '\n')
                throw Error("a carriage return must be followed by a line feed");
            _position++;
        }
        else if (_text[_position] != '\n')
        {
            throw Error($"unexpected '{_text[_position]}' (one key or table per line)");
        }
        _position++;
        _line++;
        _lineStart = _position;
    }

    private void EndOfStatement()
    {
        SkipWhitespace();
        if (!AtEnd && _text[_position] == '#')
            SkipComment();
        EndOfLine();
    }

    private void Expect(char expected, string what)
    {
        if (AtEnd || _text[_position] != expected)
            throw Error($"expected {what}");
        _position++;
    }

    private string ReadBareKey()
    {
        var start = _position;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '-'))
            _position++;
        if (_position == start)
        {
            if (!AtEnd && _text[_position] is '"' or '\'')
                throw Error("quoted keys are not supported");
            throw Error("expected a key (letters, digits, '_' or '-')");
        }
        if (!AtEnd && _text[_position] == '.')
            throw Error("dotted keys are not supported: use a [table]");
        return _text[start.._position];
    }

    private TomlValue ReadValue()
    {
        var (line, column) = Location;
        if (AtEnd || _text[_position] is '\n' or '\r' or '#')
            throw Error("expected a value");
        var c = _text[_position];
        switch (c)
        {
            case '"':
            case '\'':
                return TomlValue.OfString(ReadString(), line, column);
            case '[':
                return TomlValue.OfStrings(ReadStringArray(), line, column);
            case '{':
                throw Error("inline tables are not supported");
        }
        var start = _position;
        while (!AtEnd && _text[_position] is not (' ' or '\t' or '\n' or '\r' or '#' or ',' or ']'))
            _position++;
        var token = _text.AsSpan(start, _position - start);
        if (token.SequenceEqual("true"))
            return TomlValue.OfBoolean(true, line, column);
        if (token.SequenceEqual("false"))
            return TomlValue.OfBoolean(false, line, column);
        return TomlValue.OfInteger(ParseInteger(token, line, column), line, column);
    }

    private long ParseInteger(ReadOnlySpan<char> token, int line, int column)
    {
        var digits = new StringBuilder(token.Length);
        var index = 0;
        if (token.Length > 0 && token[0] is '+' or '-')
            digits.Append(token[index++]);
        var firstDigit = index;
        var previousWasDigit = false;
        for (; index < token.Length; index++)
        {
            var c = token[index];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
                previousWasDigit = true;
            }
            else if (c == '_' && previousWasDigit && index + 1 < token.Length && char.IsAsciiDigit(token[index + 1]))
            {
                previousWasDigit = false;
            }
            else
            {
                throw new TomlFormatException(_sourceName, line, column,
                    $"'{token}' is not a supported value (a \"string\", an integer, true, false or [\"strings\"])");
            }
        }
        if (index == firstDigit)
            throw new TomlFormatException(_sourceName, line, column, $"'{token}' is not an integer");
        if (token.Length - firstDigit > 1 && token[firstDigit] == '0')
            throw new TomlFormatException(_sourceName, line, column, $"'{token}': integers have no leading zeros");
        if (!long.TryParse(digits.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new TomlFormatException(_sourceName, line, column, $"'{token}' does not fit in a 64-bit integer");
        return value;
    }

    private string ReadString()
    {
        var quote = _text[_position];
        if (_text.AsSpan(_position).StartsWith(quote == '"' ? "\"\"\"" : "'''"))
            throw Error("multi-line strings are not supported");
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd || _text[_position] is '\n' or '\r')
                throw Error("unterminated string");
            var c = _text[_position];
            if (c == quote)
            {
                _position++;
                return value.ToString();
            }
            if (c < ' ' && c != '\t' || c == '\u007F')
                throw Error($"control character U+{(int)c:X4} in a string");
            if (c == '\\' && quote == '"')
            {
                ReadEscape(value);
                continue;
            }
            value.Append(c);
            _position++;
        }
    }

    private void ReadEscape(StringBuilder value)
    {
        _position++;
        if (AtEnd)
            throw Error("unterminated escape");
        var c = _text[_position];
        switch (c)
        {
            case '"': value.Append('"'); break;
            case '\\': value.Append('\\'); break;
            case 'b': value.Append('\b'); break;
            case 't': value.Append('\t'); break;
            case 'n': value.Append('\n'); break;
            case 'f': value.Append('\f'); break;
            case 'r': value.Append('\r'); break;
            case 'u':
            case 'U':
                var length = c == 'u' ? 4 : 8;
                if (_position + length >= _text.Length
                    || !int.TryParse(_text.AsSpan(_position + 1, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var scalar)
                    || !Rune.IsValid(scalar))
                    throw Error($"\\{c} needs {length} hex digits naming a Unicode scalar value");
                value.Append(new Rune(scalar).ToString());
                _position += length;
                break;
            default:
                throw Error($"unknown escape '\\{c}'");
        }
        _position++;
    }

    private List<string> ReadStringArray()
    {
        _position++;
        var items = new List<string>();
        while (true)
        {
            SkipArraySpace();
            if (AtEnd)
                throw Error("unterminated array");
            if (_text[_position] == ']')
            {
                _position++;
                return items;
            }
            if (_text[_position] is not ('"' or '\''))
                throw Error("arrays hold strings only");
            items.Add(ReadString());
            SkipArraySpace();
            if (AtEnd)
                throw Error("unterminated array");
            if (_text[_position] == ',')
                _position++;
            else if (_text[_position] != ']')
                throw Error("expected ',' or ']' in the array");
        }
    }

    private void SkipArraySpace()
    {
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
                return;
            var c = _text[_position];
            if (c == '#')
                SkipComment();
            else if (c is '\n' or '\r')
                EndOfLine();
            else
                return;
        }
    }
}
