using System;

namespace BoxFusion.Json
{
    /// <summary>
    /// Consecutive good records of one file, in file order: either as <see cref="Detection"/> objects (for cmdlets
    /// that pass them on) or as columns of values (for an ensemble, which copies the values and needs no object).
    /// </summary>
    public sealed class RecordBlock
    {
        internal RecordBlock(int capacity, bool detections)
        {
            if (detections)
            {
                Detections = new Detection[capacity];
                return;
            }
            ImageIds = new object[capacity];
            CategoryIds = new int[capacity];
            Scores = new double[capacity];
            X = new double[capacity];
            Y = new double[capacity];
            Widths = new double[capacity];
            Heights = new double[capacity];
        }

        /// <summary>The records held (the arrays may be longer).</summary>
        public int Count { get; internal set; }
        /// <summary>Bytes of the file consumed once the block's last record was read, and the file's length (-1 unknown): for progress.</summary>
        public long Position { get; internal set; }
        public long Length { get; internal set; }

        /// <summary>The records as objects; null for a block of values.</summary>
        public Detection[] Detections { get; }

#pragma warning disable CA1819 // the columns are the point: a reader fills them, an ensemble copies them, no copy in between
        internal object[] ImageIds { get; }
        internal int[] CategoryIds { get; }
        internal double[] Scores { get; }
        internal double[] X { get; }
        internal double[] Y { get; }
        internal double[] Widths { get; }
        internal double[] Heights { get; }
        /// <summary>Per record its mask or null; null while no record of the block has one.</summary>
        internal Mask[] Masks { get; private set; }
#pragma warning restore CA1819

        /// <summary>Counted in the records held ahead of the caller (<see cref="ParallelFileReading"/>).</summary>
        internal bool Counted { get; set; }

        internal int Capacity => Detections?.Length ?? ImageIds.Length;

        /// <summary>Empties a block of values for reuse.</summary>
        internal RecordBlock Reset()
        {
            if (Masks != null) Array.Clear(Masks, 0, Masks.Length);
            Count = 0;
            Counted = false;
            return this;
        }

        /// <summary>Reads up to a block of good records; fewer only at the end of the file.</summary>
        internal void Fill(CocoResultReader reader)
        {
            int capacity = Capacity;
            if (Detections != null)
            {
                while (Count < capacity && reader.TryRead(out Detection d)) Detections[Count++] = d;
            }
            else
            {
                while (Count < capacity && reader.TryReadValues(out RecordValues v))
                {
                    int i = Count++;
                    ImageIds[i] = v.ImageId;
                    CategoryIds[i] = v.CategoryId;
                    Scores[i] = v.Score;
                    X[i] = v.X;
                    Y[i] = v.Y;
                    Widths[i] = v.Width;
                    Heights[i] = v.Height;
                    if (v.Mask != null) (Masks ?? (Masks = new Mask[capacity]))[i] = v.Mask;
                }
            }
            Position = reader.Position;
        }
    }
}
