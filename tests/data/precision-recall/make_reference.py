#!/usr/bin/python3
"""Reference precision-recall arrays for BoxFusion's tests, made without BoxFusion.

pycocotools cannot be installed on the machines this project runs on, so this is a second, separate implementation of
what COCOeval (iouType 'bbox') does in loadRes, _prepare, computeIoU, evaluateImg, accumulate and summarize, written
from a reading of pycocotools' source (cocoeval.py, coco.py, maskApi.c bbIou) with numpy for the steps where numpy's
own behaviour matters (stable argsort, searchsorted, pairwise mean). It shares no code with the C# engine.

Usage: python3 make_reference.py GT.json RESULTS.json OUT.json.gz [12 expected stats as JSON]
Writes {"shape": {...}, "precision": [...], "recall": [...], "scores": [...], "stats": [...]} (arrays flat, C order,
precision and scores T x R x K x A x M, recall T x K x A x M) and, when expected stats are given, exits non-zero unless
the 12 stats recomputed from the arrays equal them exactly.
"""
import gzip
import json
import sys

import numpy as np

IOU_THRESHOLDS = np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1, endpoint=True)
RECALL_THRESHOLDS = np.linspace(.0, 1.00, int(np.round((1.00 - .0) / .01)) + 1, endpoint=True)
MAX_DETS = [1, 10, 100]
AREA_RANGES = [[0 ** 2, 1e5 ** 2], [0 ** 2, 32 ** 2], [32 ** 2, 96 ** 2], [96 ** 2, 1e5 ** 2]]
EPS = np.spacing(1)


def box_iou(dets, gts, crowd):
    """IoU of every detection (rows) with every ground truth (columns); a crowd region divides by the detection's area."""
    out = np.zeros((len(dets), len(gts)))
    for g, (gx, gy, gw, gh) in enumerate(gts):
        g_area = gw * gh
        for d, (dx, dy, dw, dh) in enumerate(dets):
            d_area = dw * dh
            w = min(dx + dw, gx + gw) - max(dx, gx)
            if w <= 0:
                continue
            h = min(dy + dh, gy + gh) - max(dy, gy)
            if h <= 0:
                continue
            inter = w * h
            union = d_area if crowd[g] else d_area + g_area - inter
            out[d, g] = inter / union
    return out


def by_score(dets):
    order = np.argsort([-d['score'] for d in dets], kind='mergesort')
    return [dets[i] for i in order]


def match_image(gts, dets, area_range, max_det):
    """One image and category in one area range: which detection matched which ground truth at each IoU threshold."""
    if not gts and not dets:
        return None
    outside = [1 if (g['ignore'] or g['area'] < area_range[0] or g['area'] > area_range[1]) else 0 for g in gts]
    gt_order = np.argsort(outside, kind='mergesort')
    gts = [gts[i] for i in gt_order]
    gt_ignore = np.array([outside[i] for i in gt_order])
    dets = by_score(dets)[:max_det]
    crowd = [int(g['iscrowd']) for g in gts]
    ious = box_iou([[float(v) for v in d['bbox']] for d in dets], [[float(v) for v in g['bbox']] for g in gts], crowd)
    T, G, D = len(IOU_THRESHOLDS), len(gts), len(dets)
    gt_matched = np.zeros((T, G))
    det_matched = np.zeros((T, D))
    det_ignore = np.zeros((T, D))
    if G and D:
        for t, threshold in enumerate(IOU_THRESHOLDS):
            for d in range(D):
                best_iou = min([threshold, 1 - 1e-10])
                best = -1
                for g in range(G):
                    if gt_matched[t, g] > 0 and not crowd[g]:
                        continue
                    if best > -1 and gt_ignore[best] == 0 and gt_ignore[g] == 1:
                        break
                    if ious[d, g] < best_iou:
                        continue
                    best_iou = ious[d, g]
                    best = g
                if best == -1:
                    continue
                det_ignore[t, d] = gt_ignore[best]
                det_matched[t, d] = gts[best]['id']
                gt_matched[t, best] = dets[d]['id']
    det_outside = np.array([d['area'] < area_range[0] or d['area'] > area_range[1] for d in dets]).reshape((1, D))
    det_ignore = np.logical_or(det_ignore, np.logical_and(det_matched == 0, np.repeat(det_outside, T, 0)))
    return {'scores': [d['score'] for d in dets], 'matched': det_matched, 'ignore': det_ignore, 'gt_ignore': gt_ignore}


def evaluate(gt_doc, results):
    image_ids = sorted(np.unique([im['id'] for im in gt_doc['images']]).tolist())
    cat_ids = sorted(np.unique([c['id'] for c in gt_doc['categories']]).tolist())
    known_images, known_cats = set(image_ids), set(cat_ids)
    for r in results:
        assert r['image_id'] in known_images, 'result on an unknown image'
    # loadRes: ids from 1 in file order, area from the box
    dets = []
    for n, r in enumerate(results):
        d = dict(r)
        d['area'] = r['bbox'][2] * r['bbox'][3]
        d['id'] = n + 1
        d['iscrowd'] = 0
        dets.append(d)
    gt_cells, dt_cells = {}, {}
    for a in gt_doc['annotations']:
        if a['image_id'] in known_images and a['category_id'] in known_cats:
            g = dict(a)
            g['ignore'] = 'iscrowd' in a and a['iscrowd']   # _prepare replaces any 'ignore' field by iscrowd
            gt_cells.setdefault((a['image_id'], a['category_id']), []).append(g)
    for d in dets:
        if d['category_id'] in known_cats:
            dt_cells.setdefault((d['image_id'], d['category_id']), []).append(d)
    # getAnnIds walks images in id order, then each image's annotations in file order: cells keep file order
    evaluated = {}
    for k, cat in enumerate(cat_ids):
        for a, area_range in enumerate(AREA_RANGES):
            evaluated[k, a] = [match_image(gt_cells.get((img, cat), []), dt_cells.get((img, cat), []), area_range, MAX_DETS[-1])
                               for img in image_ids]
    return cat_ids, evaluated


def accumulate(cat_ids, evaluated):
    T, R, K, A, M = len(IOU_THRESHOLDS), len(RECALL_THRESHOLDS), len(cat_ids), len(AREA_RANGES), len(MAX_DETS)
    precision = -np.ones((T, R, K, A, M))
    recall = -np.ones((T, K, A, M))
    scores = -np.ones((T, R, K, A, M))
    for k in range(K):
        for a in range(A):
            cells = [e for e in evaluated[k, a] if e is not None]
            if not cells:
                continue
            for m, max_det in enumerate(MAX_DETS):
                det_scores = np.concatenate([e['scores'][0:max_det] for e in cells])
                order = np.argsort(-det_scores, kind='mergesort')
                sorted_scores = det_scores[order]
                matched = np.concatenate([e['matched'][:, 0:max_det] for e in cells], axis=1)[:, order]
                ignored = np.concatenate([e['ignore'][:, 0:max_det] for e in cells], axis=1)[:, order]
                gt_ignore = np.concatenate([e['gt_ignore'] for e in cells])
                counted = np.count_nonzero(gt_ignore == 0)
                if counted == 0:
                    continue
                true_pos = np.cumsum(np.logical_and(matched, np.logical_not(ignored)), axis=1).astype(float)
                false_pos = np.cumsum(np.logical_and(np.logical_not(matched), np.logical_not(ignored)), axis=1).astype(float)
                for t in range(T):
                    tp, fp = true_pos[t], false_pos[t]
                    n = len(tp)
                    rc = tp / counted
                    pr = (tp / (fp + tp + EPS)).tolist()
                    recall[t, k, a, m] = rc[-1] if n else 0
                    # precision envelope: each point takes the best precision at any higher recall
                    for i in range(n - 1, 0, -1):
                        if pr[i] > pr[i - 1]:
                            pr[i - 1] = pr[i]
                    q, s = np.zeros(R), np.zeros(R)
                    for r, at in enumerate(np.searchsorted(rc, RECALL_THRESHOLDS, side='left')):
                        if at >= n:
                            break   # past the last detection: stays 0
                        q[r] = pr[at]
                        s[r] = sorted_scores[at]
                    precision[t, :, k, a, m] = q
                    scores[t, :, k, a, m] = s
    return precision, recall, scores


def summarize(precision, recall):
    """The 12 COCO stats from the arrays alone: mean of the selected entries above -1, as summarize() takes it."""
    def pick(ap, iou=None, area=0, max_det=100):
        m = MAX_DETS.index(max_det)
        s = precision[:, :, :, area, m] if ap else recall[:, :, area, m]
        if iou is not None:
            s = s[np.where(iou == IOU_THRESHOLDS)[0]]
        s = s[s > -1]
        return -1.0 if len(s) == 0 else float(np.mean(s))
    return [pick(1), pick(1, .5, 0, 100), pick(1, .75, 0, 100), pick(1, None, 1), pick(1, None, 2), pick(1, None, 3),
            pick(0, None, 0, 1), pick(0, None, 0, 10), pick(0, None, 0, 100), pick(0, None, 1), pick(0, None, 2), pick(0, None, 3)]


def main():
    gt_path, results_path, out_path = sys.argv[1:4]
    with open(gt_path) as f:
        gt_doc = json.load(f)
    with open(results_path) as f:
        results = json.load(f)
    cat_ids, evaluated = evaluate(gt_doc, results)
    precision, recall, scores = accumulate(cat_ids, evaluated)
    stats = summarize(precision, recall)
    doc = {
        'source': {'groundTruth': gt_path, 'results': results_path},
        'shape': {'T': precision.shape[0], 'R': precision.shape[1], 'K': precision.shape[2], 'A': precision.shape[3], 'M': precision.shape[4]},
        'categoryIds': cat_ids,
        'stats': stats,
        'precision': precision.ravel().tolist(),
        'recall': recall.ravel().tolist(),
        'scores': scores.ravel().tolist(),
    }
    with gzip.GzipFile(out_path, 'wb', mtime=0) as f:
        f.write(json.dumps(doc, separators=(',', ':')).encode('utf-8'))
    print(out_path, 'stats', stats)
    if len(sys.argv) > 4:
        expected = json.loads(sys.argv[4])
        if expected != stats:
            print('MISMATCH with expected stats', expected, file=sys.stderr)
            sys.exit(1)
        print('stats equal the expected ones exactly')


if __name__ == '__main__':
    main()
