using System;
using System.Collections.Generic;
using System.Threading;

namespace BoxFusion.Fusion
{
    public sealed partial class DetectionEnsemble
    {
        /// <summary>Entries per page of the image layout: large pages are never moved by the garbage collector, and a
        /// page is the size of the log's largest chunks, so chunks already copied serve again as pages.</summary>
        private const int PageEntries = EntryLog.LargestChunk;

        /// <summary>
        /// Where an image's entries are: a slice of a page shared with its neighbours (masks, when the image has
        /// any, at the same places of a page of masks). Entries stay plain values, so pages cost the collector nothing to scan.
        /// </summary>
        private struct ImageSlot
        {
            public EnsembleEntry[] Entries;
            /// <summary>Null when no entry of the image came with a mask.</summary>
            public Mask[] Masks;
            public int Start, Count;
            /// <summary>The model of the entry added last (-1: none yet), to see models come out of order.</summary>
            public int LastModel;
        }

        private ImageSlot[] images = new ImageSlot[16];
        /// <summary>Entries added since the images were last laid out, in the order they came.</summary>
        private readonly EntryLog pending = new EntryLog(256);
        private readonly object layoutGate = new object();
        private volatile bool unsettled;

        /// <summary>Adds a reader's good records (already checked against <see cref="DetectionRules"/> as they were read) as entries of <paramref name="model"/>.</summary>
        internal void AddRead(object[] ids, int[] categories, double[] scores, double[] x, double[] y, double[] widths, double[] heights, Mask[] masks,
            int count, int model)
        {
            long masksBefore = pending.MaskCount;
            object lastId = null;
            for (int i = 0; i < count; i++)
            {
                if (!ReferenceEquals(ids[i], lastId))
                {
                    lastId = ids[i];
                    int image = ImageOf(lastId);
                    if (images[image].LastModel != model) NoteModel(image, model);
                    if (pending.CurrentImage != image) pending.StartRun(image);
                }
                pending.Add(new EnsembleEntry(categories[i], scores[i], x[i], y[i], widths[i], heights[i], model), masks?[i]);
            }
            DetectionCount += count;
            MaskCount += pending.MaskCount - masksBefore;
            if (count > 0) unsettled = true;
        }

        /// <summary>
        /// Takes a file read into <paramref name="file"/> (its runs' images are <paramref name="ids"/>) as entries of
        /// <paramref name="model"/>, which the file's entries carry already when it is <paramref name="foreseen"/>; no entry is copied.
        /// </summary>
        internal void Adopt(EntryLog file, IReadOnlyList<object> ids, int model, int foreseen)
        {
            if (file.Count == 0) return;
            if (model != foreseen) file.SetModel(model);
            var map = new int[ids.Count];
            for (int k = 0; k < map.Length; k++)
            {
                int image = map[k] = ImageOf(ids[k]);
                if (images[image].LastModel != model) NoteModel(image, model);
            }
            pending.Append(file, map);
            DetectionCount += file.Count;
            MaskCount += file.MaskCount;
            unsettled = true;
        }

        /// <summary>Lays out the entries added since the last time, once, whoever asks first (fusion asks from several threads).</summary>
        internal void Settle()
        {
            if (!unsettled) return;
            lock (layoutGate)
            {
                if (!unsettled) return;
                LayOut();
                unsettled = false;
            }
        }

        /// <summary>
        /// Puts each image with new entries in one slice, its earlier entries then the new ones in the order they came.
        /// Images go in their order, so the chunks of files grouped by image are let go one after another as they are copied.
        /// </summary>
        private void LayOut()
        {
            var log = pending;
            int imageCount = imageIds.Count;
            var added = new int[imageCount];
            var firstRun = new int[imageCount + 1];
            for (int r = 0; r < log.RunCount; r++)
            {
                added[log.Runs[r].Image] += log.Runs[r].Count;
                firstRun[log.Runs[r].Image + 1]++;
            }
            for (int i = 0; i < imageCount; i++) firstRun[i + 1] += firstRun[i];
            var order = new int[log.RunCount];
            var next = (int[])firstRun.Clone();
            var chunkLast = new int[log.ChunkCount];
            for (int c = 0; c < chunkLast.Length; c++) chunkLast[c] = -1;
            for (int r = 0; r < log.RunCount; r++)
            {
                int image = log.Runs[r].Image;
                order[next[image]++] = r;
                if (image > chunkLast[log.Runs[r].Chunk]) chunkLast[log.Runs[r].Chunk] = image;
            }
            var chunkOrder = new int[chunkLast.Length];
            for (int c = 0; c < chunkOrder.Length; c++) chunkOrder[c] = c;
            Array.Sort(chunkLast, chunkOrder);
            long remaining = 0;
            for (int i = 0; i < imageCount; i++) if (added[i] > 0) remaining += added[i] + images[i].Count;

            var spare = new Stack<EnsembleEntry[]>();
            EnsembleEntry[] page = null;
            Mask[] maskPage = null;
            int used = 0, released = 0;
            for (int i = 0; i < imageCount; i++)
            {
                if (added[i] == 0) continue;
                ref var slot = ref images[i];
                int total = slot.Count + added[i];
                if (page == null || page.Length - used < total)
                {
                    page = total <= PageEntries && remaining >= PageEntries && spare.Count > 0 ? spare.Pop()
                        : new EnsembleEntry[Math.Max(total, (int)Math.Min(PageEntries, remaining))];
                    maskPage = null;
                    used = 0;
                }
                remaining -= total;
                Array.Copy(slot.Entries, slot.Start, page, used, slot.Count);
                Mask[] masks = null;
                if (slot.Masks != null)
                {
                    masks = maskPage ?? (maskPage = new Mask[page.Length]);
                    Array.Copy(slot.Masks, slot.Start, masks, used, slot.Count);
                }
                int at = used + slot.Count;
                for (int k = firstRun[i]; k < firstRun[i + 1]; k++)
                {
                    var run = log.Runs[order[k]];
                    Array.Copy(log.Chunks[run.Chunk], run.Offset, page, at, run.Count);
                    var runMasks = log.MaskChunks[run.Chunk];
                    if (runMasks != null && (masks != null || AnyMask(runMasks, run.Offset, run.Count)))
                    {
                        masks = maskPage ?? (maskPage = new Mask[page.Length]);
                        Array.Copy(runMasks, run.Offset, masks, at, run.Count);
                    }
                    at += run.Count;
                }
                slot.Entries = page;
                slot.Masks = masks;
                slot.Start = used;
                slot.Count = total;
                used += total;
                // Chunks whose entries are all copied: let go, or kept as the next pages (what they hold is never read again).
                for (; released < chunkOrder.Length && chunkLast[released] <= i; released++)
                {
                    var done = log.Chunks[chunkOrder[released]];
                    if (done.Length == PageEntries) spare.Push(done);
                    log.Chunks[chunkOrder[released]] = null;
                    log.MaskChunks[chunkOrder[released]] = null;
                }
            }
            log.Clear();
        }

        private static bool AnyMask(Mask[] masks, int start, int count)
        {
            for (int i = start; i < start + count; i++) if (masks[i] != null) return true;
            return false;
        }
    }
}
