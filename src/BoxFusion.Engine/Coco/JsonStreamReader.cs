using System;
using System.IO;
using System.Text.Json;
using BoxFusion.Json;

namespace BoxFusion.Coco
{
    /// <summary>
    /// A <see cref="Utf8JsonReader"/> over a <see cref="Stream"/>: reads into a byte buffer and refills
    /// it (keeping the unconsumed tail, growing the buffer when one token does not fit) as tokens run out.
    /// Skips a leading UTF-8 BOM. Use it through a local variable or by ref.
    /// </summary>
    internal ref struct JsonStreamReader
    {
        private readonly Stream stream;
        private byte[] buffer;
        private int length;
        private bool finalBlock;
        private long bufferOffset;   // absolute file position of buffer[0]
        private Utf8JsonReader reader;

        public JsonStreamReader(Stream stream, int bufferSize = 1 << 20)
        {
            this.stream = stream;
            buffer = new byte[Math.Max(bufferSize, 4)];
            length = 0;
            finalBlock = false;
            bufferOffset = 0;
            int start = 0;
            finalBlock = !StreamBuffer.Refill(stream, ref buffer, ref start, ref length, ref bufferOffset);
            if (length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                start = 3;
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, length - start);
                length -= start;
                bufferOffset = start;
            }
            reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, 0, length), finalBlock, JsonLimits.NewState());
        }

        public JsonTokenType TokenType => reader.TokenType;

        /// <summary>Absolute file position of the current token's start.</summary>
        public long TokenPosition => bufferOffset + reader.TokenStartIndex;

        /// <summary>Absolute file position just past what has been consumed.</summary>
        public long ConsumedPosition => bufferOffset + reader.BytesConsumed;

        public int CurrentDepth => reader.CurrentDepth;

        /// <summary>True when the whole file has been read and little of it is left unconsumed (a truncation is likely).</summary>
        public bool NearEndOfFile => finalBlock && length - reader.BytesConsumed < 1024;

        public bool Read()
        {
            while (!reader.Read())
            {
                if (finalBlock) return false;
                Refill();
            }
            return true;
        }

        /// <summary>Skips the current value (the one after a property name, or a whole object/array).</summary>
        public void Skip()
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!Read()) return;
            }
            if (reader.TokenType != JsonTokenType.StartObject && reader.TokenType != JsonTokenType.StartArray)
                return;
            // Fast path: the whole value is already in the buffer.
            if (reader.TrySkip()) return;
            int depth = reader.CurrentDepth;
            do
            {
                if (!Read()) return;
            }
            while (reader.CurrentDepth > depth);
        }

        /// <summary>After a JsonException: the reader stopped at the nesting limit, not at broken JSON.</summary>
        public bool DepthExceeded => JsonLimits.IsDepthExceeded(reader.CurrentDepth, buffer, (int)reader.BytesConsumed, length);

        /// <summary>The current number as written in the file (for messages).</summary>
        public string NumberText
        {
            get
            {
                var span = reader.ValueSpan;
                return System.Text.Encoding.ASCII.GetString(span.Slice(0, Math.Min(span.Length, 40)).ToArray()) + (span.Length > 40 ? "..." : "");
            }
        }

        public bool ValueTextEquals(ReadOnlySpan<byte> text) => reader.ValueTextEquals(text);
        public string GetString() => reader.GetString();
        public bool TryGetDouble(out double value) => reader.TryGetDouble(out value);
        public bool TryGetInt64(out long value) => reader.TryGetInt64(out value);
        public bool TryGetInt32(out int value) => reader.TryGetInt32(out value);

        private void Refill()
        {
            int consumed = (int)reader.BytesConsumed;
            var state = reader.CurrentState;
            finalBlock = !StreamBuffer.Refill(stream, ref buffer, ref consumed, ref length, ref bufferOffset);
            reader = new Utf8JsonReader(new ReadOnlySpan<byte>(buffer, 0, length), finalBlock, state);
        }
    }
}
