using System;
using System.IO;
using System.Text.Json;

namespace BoxFusion.Json
{
    /// <summary>
    /// Writes detections as a COCO results list ({image_id, category_id, bbox: [x, y, w, h], score}),
    /// one record per line, numbers in shortest round-trip form. Image ids keep their JSON type.
    /// </summary>
    public sealed class CocoResultWriter : IDisposable
    {
        private static readonly JsonEncodedText ImageIdName = JsonEncodedText.Encode("image_id");
        private static readonly JsonEncodedText CategoryIdName = JsonEncodedText.Encode("category_id");
        private static readonly JsonEncodedText BboxName = JsonEncodedText.Encode("bbox");
        private static readonly JsonEncodedText ScoreName = JsonEncodedText.Encode("score");
        private readonly Stream stream;
        private readonly StreamBufferWriter output;
        private readonly Utf8JsonWriter writer;
        private bool closed;

        public CocoResultWriter(Stream stream)
        {
            this.stream = stream;
            output = new StreamBufferWriter(stream);
            writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true, Indented = false });
            output.WriteAscii("[");
        }

        public long Count { get; private set; }

        /// <summary>Writes one record; refuses what would make an invalid submission (no id, non-finite numbers).</summary>
        public void Write(Detection d)
        {
            if (d.ImageId == null) throw new ArgumentException("A detection without an image id cannot be written.");
            if (!IsFinite(d.Score) || !IsFinite(d.X) || !IsFinite(d.Y) || !IsFinite(d.Width) || !IsFinite(d.Height))
                throw new ArgumentException("A detection with a non-finite score or box cannot be written: " + d);
            output.WriteAscii(Count > 0 ? ",\n" : "\n");
            writer.WriteStartObject();
            if (d.ImageId is string s) writer.WriteString(ImageIdName, s);
            else writer.WriteNumber(ImageIdName, (long)d.ImageId);
            writer.WriteNumber(CategoryIdName, d.CategoryId);
            writer.WriteStartArray(BboxName);
            writer.WriteNumberValue(d.X);
            writer.WriteNumberValue(d.Y);
            writer.WriteNumberValue(d.Width);
            writer.WriteNumberValue(d.Height);
            writer.WriteEndArray();
            writer.WriteNumber(ScoreName, d.Score);
            writer.WriteEndObject();
            writer.Flush();
            writer.Reset(); // each record is a top-level value to the writer; separators are ours
            Count++;
        }

        /// <summary>Closes the list and flushes; call before the file is renamed into place.</summary>
        public void Complete()
        {
            if (closed) return;
            closed = true;
            output.WriteAscii(Count > 0 ? "\n]\n" : "]\n");
            output.Flush();
            stream.Flush();
        }

        private static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

        public void Dispose() => writer.Dispose();
    }
}
