# Help for Compare-Detection. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Shows, image by image, which detections COCO counts as true or false positives and which ground-truth boxes were missed.'

    Description = @'
Compare-Detection matches detections to a COCO ground truth the way pycocotools' COCOeval does for one IoU threshold (area range all, 100 detections per image and category): detections are taken by score, highest first, and each takes the unmatched ground-truth box of its class with the highest IoU at or above the threshold; boxes that count are preferred to crowd regions, and a crowd region may take any number of detections. It returns one row per detection and one per missed ground-truth box, so the numbers behind Measure-Detection can be sorted, grouped, counted and drawn.

Each row has an Outcome:
- TruePositive: matched a ground-truth box (GroundTruth, GroundTruthId and Iou say which, and how well).
- FalsePositive: matched nothing; Reason says why: Duplicate (its box was taken by a higher-scoring detection), WrongClass (it overlaps a box of another class by the threshold or more), Localization (it overlaps a box of its class with IoU 0.1 or more, but less than the threshold) or Background (none of these).
- Missed: a ground-truth box that counts and that no detection matched.
- Ignored: COCO neither counts nor penalises it; Reason is Crowd (matched a crowd region), OutsideAreaRange, BeyondMaxDetections or CategoryNotInGroundTruth.

Each model (the Model property of the detections) is compared on its own, so a fused result and the models it came from can go through one call; the missed boxes carry the model whose comparison missed them. Rows come image by image in the ground truth's order: detections by score, then missed boxes.

At every threshold, TruePositive / (TruePositive + Missed) of a category equals pycocotools' recall for that category (area all, 100 detections). A detection of an image the ground truth does not have is reported once per model (ImageNotInGroundTruth) and left out; the others are compared.
'@

    Parameters  = @{
        GroundTruth   = @{
            Description = 'The COCO annotations file to compare with (a path or a FileInfo), with its images, annotations and categories.'
            Default     = 'None'
        }
        InputObject   = @{
            Description = 'The detections to compare, from Import-Detection, Merge-Detection or New-Detection. $null is ignored.'
            Default     = 'None'
        }
        Path          = @{
            Description = 'COCO results files to compare, read directly instead of from the pipeline, each as a model named as Import-Detection names them, or by -Model. Wildcards are expanded.'
            Default     = 'None'
        }
        LiteralPath   = @{
            Description = 'Like -Path, but each name is used exactly as written: wildcard characters are not expanded.'
            Default     = 'None'
        }
        Model         = @{
            Description = 'The model names of the -Path or -LiteralPath files, as Import-Detection -Model: one per file, in order, or one for all.'
            Default     = 'As Import-Detection: the base name without .bbox, .segm or .proposal, or the nearest folder that differs'
        }
        IouThreshold  = @{
            Description = 'The IoU a detection needs with a ground-truth box to match it: 0.5 is AP50''s rule, 0.75 AP75''s. As in pycocotools, 1 is taken as 1 - 1e-10.'
            AcceptedValues = 'a number from 0 to 1'
        }
        MaxDetections = @{
            Description = 'Detections looked at per image and category, the best by score, as the largest of pycocotools'' maxDets; the rest are Ignored (BeyondMaxDetections).'
            AcceptedValues = 'a whole number, 1 or more'
        }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'The detections to compare.' }
    )
    Outputs     = @(
        @{ Type = 'BoxFusion.Evaluation.DetectionMatch'; Description = 'One row per detection and per missed box: ImageId, FileName, Image, Model, Outcome, Reason, Category (name), CategoryId, Score (NaN for a missed box), Iou, Detection (null for a missed box), GroundTruth and GroundTruthId. It shows as a table and goes into Export-DetectionImage.' }
    )

    Notes       = @'
Compare-Detection keeps the input until it ends, like Measure-Detection. Errors you can catch by id: ImageNotInGroundTruth, AmbiguousImageId, GroundTruthNotFound, GroundTruthInvalid, GroundTruthNotAFile, and with -Path the file errors of Import-Detection.

The ground truth's ignore field is not honoured, as in pycocotools (only iscrowd makes a box ignored).
'@

    Examples    = @(
        @{
            Title   = 'Count the kinds of error of each model'
            Code    = @'
cd tests/data/sample
Compare-Detection -GroundTruth gt.json -Path yolox.json, cascade.json, detr.json |
    Group-Object Model, Outcome, Reason -NoElement | Sort-Object Name
'@
            Remarks = 'One line per model and kind: true positives, each kind of false positive, missed and ignored boxes, at IoU 0.5.'
        }
        @{
            Title   = 'The images with the most misses'
            Code    = @'
$rows = Import-Detection yolox.json, cascade.json, detr.json | Merge-Detection -ImageInfo gt.json | Compare-Detection gt.json
$rows | Where-Object Outcome -EQ Missed | Group-Object ImageId | Sort-Object Count -Descending | Select-Object -First 5 Name, Count
'@
            Remarks = 'Compares the fused result with the ground truth and lists the five images where it missed the most boxes.'
        }
        @{
            Title   = 'Draw only the misses'
            Code    = @'
Compare-Detection gt.json -Path yolox.json -IouThreshold 0.75 |
    Where-Object Outcome -EQ Missed | Export-DetectionImage -ImageInfo gt.json -Path misses
'@
            Remarks = 'Writes one picture per image with the boxes yolox missed at IoU 0.75, in the colour of missed boxes.'
        }
        @{
            Title   = 'Confident false positives'
            Code    = @'
Compare-Detection gt.json -Path yolox.json | Where-Object { $_.Outcome -eq 'FalsePositive' -and $_.Score -gt 0.8 } |
    Sort-Object Score -Descending | Select-Object -First 10
'@
            Remarks = 'The ten highest-scoring false positives, with the reason and the box behind them.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Measure-Detection'
        'Export-DetectionImage'
        @{ Text = 'COCO detection evaluation'; Uri = 'https://cocodataset.org/#detection-eval' }
    )
}
