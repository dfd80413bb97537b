using System;
using System.IO;

namespace BoxFusion.Synthetic
{
    /// <summary>
    /// A growable byte buffer for the generator's JSON, which is plain ASCII. Numbers are written from
    /// integers (fixed-point values), so the text never depends on a culture or a runtime's float formatting.
    /// </summary>
    internal sealed class AsciiBuffer
    {
        private static readonly long[] Powers = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
        private byte[] bytes;

        public AsciiBuffer(int capacity = 4096) { bytes = new byte[Math.Max(16, capacity)]; }

        public int Length { get; private set; }

        public byte[] Bytes => bytes;

        public void Clear() => Length = 0;

        private void Reserve(int extra)
        {
            if (Length + extra <= bytes.Length) return;
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, Length + extra));
        }

        public void Write(string ascii)
        {
            Reserve(ascii.Length);
            for (int i = 0; i < ascii.Length; i++) bytes[Length++] = (byte)ascii[i];
        }

        public void Write(char c)
        {
            Reserve(1);
            bytes[Length++] = (byte)c;
        }

        /// <summary>A JSON string whose characters need no escaping (names and file names made here).</summary>
        public void WriteQuoted(string plain)
        {
            Write('"');
            Write(plain);
            Write('"');
        }

        public void WriteInteger(long value)
        {
            Reserve(20);
            if (value < 0)
            {
                bytes[Length++] = (byte)'-';
                if (value == long.MinValue) { Write("9223372036854775808"); return; }
                value = -value;
            }
            int start = Length;
            do
            {
                bytes[Length++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            } while (value != 0);
            Array.Reverse(bytes, start, Length - start);
        }

        /// <summary>
        /// value / 10^decimals as a JSON number with at least one and at most <paramref name="decimals"/>
        /// digits after the point, trailing zeros dropped: 1234 with 2 gives 12.34, 1200 gives 12.0.
        /// </summary>
        public void WriteFixed(long value, int decimals)
        {
            if (value < 0)
            {
                Write('-');
                value = -value;
            }
            long scale = Powers[decimals];
            WriteInteger(value / scale);
            long fraction = value % scale;
            Write('.');
            if (fraction == 0)
            {
                Write('0');
                return;
            }
            int digits = decimals;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            Reserve(digits);
            for (int i = digits - 1; i >= 0; i--)
            {
                bytes[Length + i] = (byte)('0' + (int)(fraction % 10));
                fraction /= 10;
            }
            Length += digits;
        }

        public void CopyTo(Stream stream, int offset, int count) => stream.Write(bytes, offset, count);

        public void CopyTo(Stream stream) => stream.Write(bytes, 0, Length);
    }
}
