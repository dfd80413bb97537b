using System;
using System.Collections.Generic;
using BoxFusion.Json;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// The records <see cref="EnsembleLayout"/> holds while it does not yet know whether they will be fused in memory
    /// or let go for streaming: plain columns in large chunks, in file order, turned into a <see cref="DetectionEnsemble"/>
    /// only when they are kept. Why not the ensemble at once: a large input outgrows the limit and its held records
    /// are let go; building an ensemble of a million boxes only to drop it cost about as much CPU as parsing the files,
    /// most of it in the garbage collector copying the growing per-image lists. Chunks of the largest size go
    /// straight to the large object heap, which the collector does not copy.
    /// </summary>
    internal sealed class HeldRecords
    {
        private const int FirstChunk = 1 << 12, LargestChunk = 1 << 15;
        private readonly List<Chunk> chunks = new List<Chunk>();
        private readonly List<string> modelNames = new List<string>();
        private string lastModel;
        private int lastModelIndex = -1;
        private Chunk last;

        public long Count { get; private set; }

        public void Add(object imageId, int categoryId, double score, double x, double y, double width, double height, string model)
        {
            Room();
            int i = last.Count++;
            last.ImageIds[i] = imageId;
            last.CategoryIds[i] = categoryId;
            last.Models[i] = ModelOf(model);
            last.Scores[i] = score;
            last.X[i] = x;
            last.Y[i] = y;
            last.Widths[i] = width;
            last.Heights[i] = height;
            Count++;
        }

        /// <summary>Records <paramref name="from"/> .. + <paramref name="count"/> of a block of values (which has no masks), all of <paramref name="model"/>.</summary>
        public void Add(RecordBlock block, int from, int count, string model)
        {
            int index = ModelOf(model);
            while (count > 0)
            {
                Room();
                int at = last.Count, n = Math.Min(count, last.ImageIds.Length - at);
                Array.Copy(block.ImageIds, from, last.ImageIds, at, n);
                Array.Copy(block.CategoryIds, from, last.CategoryIds, at, n);
                Array.Copy(block.Scores, from, last.Scores, at, n);
                Array.Copy(block.X, from, last.X, at, n);
                Array.Copy(block.Y, from, last.Y, at, n);
                Array.Copy(block.Widths, from, last.Widths, at, n);
                Array.Copy(block.Heights, from, last.Heights, at, n);
                for (int k = at; k < at + n; k++) last.Models[k] = index;
                last.Count += n;
                Count += n;
                from += n;
                count -= n;
            }
        }

        /// <summary>A chunk with room for one record or more: the last, or a new one.</summary>
        private void Room()
        {
            if (last != null && last.Count < last.ImageIds.Length) return;
            last = new Chunk(last == null ? FirstChunk : Math.Min(LargestChunk, 2 * last.ImageIds.Length));
            chunks.Add(last);
        }

        private int ModelOf(string name)
        {
            if (ReferenceEquals(name, lastModel)) return lastModelIndex;
            int index = modelNames.IndexOf(name); // by reference or ordinal: the ensemble compares the names itself
            if (index < 0)
            {
                index = modelNames.Count;
                modelNames.Add(name);
            }
            lastModel = name;
            lastModelIndex = index;
            return index;
        }

        /// <summary>The records as an ensemble, as adding them one by one would make it; the chunks go as they are copied.</summary>
        public DetectionEnsemble ToEnsemble()
        {
            var ensemble = new DetectionEnsemble();
            for (int c = 0; c < chunks.Count; c++)
            {
                var chunk = chunks[c];
                chunks[c] = null;
                for (int i = 0; i < chunk.Count; i++)
                {
                    ensemble.Add(chunk.ImageIds[i], chunk.CategoryIds[i], chunk.Scores[i], chunk.X[i], chunk.Y[i], chunk.Widths[i], chunk.Heights[i],
                        ensemble.ModelOf(modelNames[chunk.Models[i]]));
                }
            }
            chunks.Clear();
            last = null;
            Count = 0;
            return ensemble;
        }

        private sealed class Chunk
        {
            public readonly object[] ImageIds;
            public readonly int[] CategoryIds, Models;
            public readonly double[] Scores, X, Y, Widths, Heights;
            public int Count;

            public Chunk(int capacity)
            {
                ImageIds = new object[capacity];
                CategoryIds = new int[capacity];
                Models = new int[capacity];
                Scores = new double[capacity];
                X = new double[capacity];
                Y = new double[capacity];
                Widths = new double[capacity];
                Heights = new double[capacity];
            }
        }
    }

    /// <summary>A record that waits for <see cref="EnsembleLayout.ReadAgain"/>: its values and its model's name.</summary>
    internal readonly struct PendingRecord
    {
        public PendingRecord(object imageId, int categoryId, double score, double x, double y, double width, double height, string model, Mask mask)
        {
            ImageId = imageId;
            CategoryId = categoryId;
            Score = score;
            X = x;
            Y = y;
            Width = width;
            Height = height;
            Model = model;
            Mask = mask;
        }

        public object ImageId { get; }
        public int CategoryId { get; }
        public double Score { get; }
        public double X { get; }
        public double Y { get; }
        public double Width { get; }
        public double Height { get; }
        public string Model { get; }
        public Mask Mask { get; }
    }
}
