# Help for Export-Submission. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Writes detections as a COCO results file, or a zip holding one, for a challenge server or pycocotools.'

    Description = @'
Export-Submission writes the detections it receives as a COCO results list, one record per line: {"image_id", "category_id", "bbox": [x, y, width, height], "score"}, in the order received, with numbers in their shortest exact form. Image ids keep their type: numbers stay numbers, strings stay strings.

With -ImageInfo (the ground truth's annotations file), each image id becomes the id the file gives that image: file-name ids such as "7.jpg" are written as the integer ids COCO-style servers read (pycocotools, the VIPriors toolkit). Names match as everywhere in BoxFusion: exactly a file_name, else the file name without folder or extension when only one image has it. An id that names no image (ImageNotInImageInfo) or several (AmbiguousImageId) stops the export, and nothing is written.

A detection with a mask also gets its "segmentation", as compressed RLE {"size": [height, width], "counts": "..."} (pycocotools' string encoding, the COCO segm results format that mmdetection and detectron2 write), beside its bbox; reading the file back gives the same masks, bit for bit. Polygon masks not yet rasterised are written as the polygons they were.

A path ending in .zip, or -Zip, writes a zip archive holding only submission.json (or -EntryName), as challenge servers such as CodaLab expect.

The file is written under a temporary name beside the target and moved into place only when complete, so a failure or Ctrl+C midway (a full disk too) leaves an earlier file as it was and no temporary file behind. An existing file is replaced only with -Force, and that holds at the moment of writing: a file that appears at the path while the submission is written is left as it is (FileExists), however long the pipeline ran.

A symbolic link is written through, as Export-Csv does: the file it points at gets the submission and the link stays a link. A replaced file keeps its permissions (a private 600 file stays private); if it has other hard links, a warning says that they keep the earlier content. Only a regular file is ever replaced: a device such as /dev/null, a named pipe, a socket or a folder is refused, even with -Force.

Detections that would make an invalid submission are not written: those without an image id, with a non-finite score or coordinate, a negative score or a number beyond 1e9 are reported as errors, and boxes with zero or negative width or height (which can never match anything) are counted in one warning. No input at all writes an empty list.
'@

    Parameters  = @{
        InputObject = @{
            Description = 'The detections to write, from Merge-Detection, Import-Detection or New-Detection. $null is ignored.'
            Default     = 'None'
        }
        Path        = @{
            Description = 'The file to write, such as submission.json or submission.zip. Its folder must exist, on the file system. A path with wildcard characters (* ? [ ]) is an error (PathHasWildcards), as it could name several files; use -LiteralPath, or escape them with a backtick, to write such a name.'
            Default     = 'None'
        }
        LiteralPath = @{
            Description = 'The file to write, used exactly as written: * ? [ ] are part of the name.'
            Default     = 'None'
        }
        Zip         = @{
            Description = 'Write a zip archive holding the results as one JSON file (-EntryName), whatever the extension of the path. A path ending in .zip implies it.'
            Default     = 'False'
        }
        EntryName   = @{
            Description = 'The name of the JSON file inside the zip archive: a plain file name, without a folder, .. or a drive (InvalidEntryName). Only used with -Zip or a .zip path; given for a JSON file, it is ignored with a warning.'
            Default     = 'submission.json'
        }
        ImageInfo   = @{
            Description = 'The ground truth that decides the written image ids: a COCO annotations file (a path or FileInfo, such as gt.json; only its images are read), an object read from one, or its image records (id, file_name, width, height). Each detection''s image id is written as the id of the image it names.'
            Default     = 'None (ids are written as they are)'
        }
        Force       = @{
            Description = 'Replace the file if it exists (or, for a link to a missing file, create that file). Without it, an existing file is an error (FileExists) and is left untouched, also when it appears while the submission is being written. Even with -Force only a regular file is replaced.'
            Default     = 'False'
        }
        Decimals    = @{
            Description = @'
Round the box coordinates (x, y, width, height) and the score of every record to this many decimals (0 to 15) as they are written. The file shrinks (with -Decimals 2, a fused WBF result takes about a quarter less space) and is written faster; the detections in the pipeline are not changed. A box whose width or height rounds to 0 is left out like any box of zero size.

The rounding is exact: it takes the number's exact binary value and rounds halves away from zero. With 2 decimals 0.125 becomes 0.13 and -0.125 becomes -0.13, but 2.675, which a double holds as 2.67499999999999982..., becomes 2.67. The number is written as the shortest text that reads back as the rounded value: plain notation without trailing zeros (12.50 is written 12.5, 3.00 is written 3, 0.0000001 stays in plain notation), and a value that rounds to zero, negative or not, is written 0. A rounded value with more than 15 digits in all (1234567.123456789 with 9 decimals) is written as the shortest text that reads back as the double nearest it, which may drop its last digit: a double holds no more.

Scores are rounded too: with few decimals, scores that differ only beyond them become equal, which can change the ranking and so the AP a little. Two decimals are plenty for pixel coordinates; keep 3 or more when scores matter.
'@
            Default     = 'None: every digit is kept (numbers read back exactly)'
        }
        PassThru    = @{
            Description = 'Return the written file as a FileInfo object. By default Export-Submission returns nothing.'
            Default     = 'False'
        }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'The detections to write.' }
    )
    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, Export-Submission returns nothing.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the file written.' }
    )

    Notes       = @'
The records are written in the order received: Merge-Detection's output is already grouped by image and sorted by score within each image. Export-Submission does not limit the number of detections per image; use Merge-Detection -MaxDetectionsPerImage for that.

Errors you can catch by id: FileExists, TargetNotARegularFile (a folder, device, pipe or socket), FolderNotFound, PathHasWildcards, NotAFileSystemPath (such as variable:x), InvalidEntryName, FileWriteFailed (any write error, such as a full disk), with -ImageInfo ImageNotInImageInfo, AmbiguousImageId, ImageInfoNotFound and ImageInfoInvalid (all terminating) and, per detection, DetectionWithoutImageId, NonFiniteDetection and InvalidDetection (a negative score or a number beyond 1e9; only the first detection of each is reported, a warning counts the rest).

-InputObject is mandatory: run without pipeline input, Export-Submission prompts for a detection. Pipe an empty array (@() | Export-Submission empty.json) to write an empty list.
'@

    Examples    = @(
        @{
            Title   = 'Write a fused submission'
            Code    = @'
cd tests/data/sample
Import-Detection yolox.json, cascade.json, detr.json |
    Merge-Detection -ConfidenceType BoxAndModelAvg -ImageInfo gt.json |
    Export-Submission -Path submission.json
'@
            Remarks = 'Writes submission.json in the current folder. Run it again and Export-Submission refuses, because the file exists; add -Force to replace it.'
        }
        @{
            Title   = 'Write a zip for the challenge server and check it'
            Code    = @'
$file = Merge-Detection -Path yolox.json, cascade.json, detr.json -MaxDetectionsPerImage 100 |
    Export-Submission submission.zip -Force -PassThru
$zip = [System.IO.Compression.ZipFile]::OpenRead($file.FullName)
$zip.Entries.FullName      # submission.json
$zip.Dispose()
'@
            Remarks = 'The .zip extension makes a zip archive holding only submission.json, keeping at most the 100 best boxes per image. -PassThru returns the FileInfo of the zip, to look inside it. -Force replaces an earlier submission.zip; without it the command would fail with FileExists.'
        }
        @{
            Title   = 'Write integer image ids for a server that wants them'
            Code    = @'
cd tests/data/case-b
Import-Detection model1.json, model2.json | Merge-Detection | Export-Submission fused.json -ImageInfo gt.json
'@
            Remarks = 'The results of case-b name their images by file name ("7.jpg"). With -ImageInfo gt.json each record gets the integer id of its image in gt.json (7), as pycocotools and the VIPriors toolkit expect. The detections in the pipeline keep their ids.'
        }
        @{
            Title   = 'See what would be written'
            Code    = @'
Import-Detection yolox.json | Export-Submission yolox-only.json -WhatIf
'@
            Remarks = 'With -WhatIf nothing is written; Export-Submission says which file it would write.'
        }
        @{
            Title   = 'Write a smaller file with rounded numbers'
            Code    = @'
Merge-Detection -Path yolox.json, cascade.json, detr.json | Export-Submission fused.json -Decimals 3
'@
            Remarks = 'Boxes and scores are written with at most 3 decimals (a fused score of 0.87654321 is written 0.877) instead of every digit of the fused averages, so the file is smaller.'
        }
        @{
            Title   = 'Name the file inside the zip'
            Code    = @'
Import-Detection fused.json | Export-Submission results.zip -EntryName detections_test-dev2017_boxfusion_results.json
'@
            Remarks = 'The COCO test-dev server wants a zip holding a file named detections_test-dev2017_<algorithm>_results.json; -EntryName sets that name.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Merge-Detection'
        'Import-Detection'
        @{ Text = 'COCO results format'; Uri = 'https://cocodataset.org/#format-results' }
    )
}
