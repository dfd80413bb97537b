# Model names from the layouts real detectors write: distinct by default, case-insensitive, or a clear error.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $small = Join-Path $DataRoot 'case-a/model1.json'

    # Copies a results file to each relative path under $Root (folders made as needed); returns the full paths.
    function New-Layout([string] $Root, [string[]] $RelativePath, [string] $From = $small) {
        foreach ($p in $RelativePath) {
            $target = Join-Path $Root $p
            $null = New-Item -ItemType Directory -Force (Split-Path $target)
            Copy-Item -LiteralPath $From -Destination $target
            $target
        }
    }
}

Describe 'End to end on an mmdetection layout' {
    BeforeAll {
        $root = Join-Path $TestDrive 'mmdet'
        foreach ($m in 'yolox', 'cascade', 'detr') { $null = New-Layout $root "work_dirs/$m/results.bbox.json" -From (Join-Path $SampleFolder "$m.json") }
        Copy-Item $SampleTruth (Join-Path $root 'gt.json')
        $plain = (Import-Detection $SampleModels |
            Merge-Detection -ImageInfo $SampleTruth | Measure-Detection -GroundTruth $SampleTruth).AP
        Push-Location $root
    }
    AfterAll { Pop-Location }

    It 'the plain sample files fuse to AP 0.477' {
        [math]::Round($plain, 3) | Should -Be 0.477
    }

    It 'Get-ChildItem -Recurse | Import-Detection names each model by its folder and fuses as the plain files do' {
        $d = Get-ChildItem -Recurse -Filter results.bbox.json | Import-Detection
        ($d | Group-Object Model).Name | Sort-Object | Should -Be 'cascade', 'detr', 'yolox'
        $r = $d | Merge-Detection -ImageInfo gt.json | Measure-Detection -GroundTruth gt.json
        $r.AP | Should -Be $plain
    }

    It 'Merge-Detection -Path with a wildcard does the same' {
        $fused = Merge-Detection -Path work_dirs/*/results.bbox.json -ImageInfo gt.json
        ($fused.SourceModels | Sort-Object -Unique) | Should -Be 'cascade', 'detr', 'yolox'
        ($fused | Measure-Detection -GroundTruth gt.json).AP | Should -Be $plain
    }

    It 'Optimize-Fusion -Path sees three models' {
        $t = Optimize-Fusion -GroundTruth gt.json -Path work_dirs/*/results.bbox.json -Method WBF -IouThreshold 0.55 -NoWeightSearch -MaxTrials 1
        $t[0].Models | Sort-Object | Should -Be 'cascade', 'detr', 'yolox'
    }
}

Describe 'Default model names' {
    It 'strips the mmdetection suffix <Suffix>' -ForEach @(@{ Suffix = '.bbox' }, @{ Suffix = '.segm' }, @{ Suffix = '.proposal' }) {
        $file = New-Layout $TestDrive "suffix$Suffix/retina$Suffix.json"
        (Import-Detection $file | Select-Object -First 1).Model | Should -Be 'retina'
    }

    It 'names YOLO val runs by their exp folder, also when paths come down the pipeline one by one' {
        $files = New-Layout (Join-Path $TestDrive 'yolo') 'runs/val/exp1/predictions.json', 'runs/val/exp2/predictions.json'
        ($files | Import-Detection | Group-Object Model).Name | Should -Be 'exp1', 'exp2'
        (Get-Item $files | Import-Detection | Group-Object Model).Name | Should -Be 'exp1', 'exp2'
    }

    It 'names detectron2 outputs by the nearest folder that differs' {
        $files = New-Layout (Join-Path $TestDrive 'd2') 'out_a/inference/coco_instances_results.json', 'out_b/inference/coco_instances_results.json'
        (Import-Detection $files | Group-Object Model).Name | Should -Be 'out_a', 'out_b'
        ((Merge-Detection -Path $files).SourceModels | Sort-Object -Unique) | Should -Be 'out_a', 'out_b'
        (Measure-Detection -GroundTruth (Join-Path $DataRoot 'case-a/gt.json') -Path $files -GroupBy Model).Name | Should -Be 'out_a', 'out_b'
    }

    It 'keeps base names that already differ' {
        $files = New-Layout (Join-Path $TestDrive 'plain') 'a/yolox.json', 'b/detr.json'
        (Import-Detection $files).Model | Select-Object -Unique | Should -Be 'yolox', 'detr'
    }
}

Describe 'DuplicateModelName' {
    BeforeAll {
        $same = Join-Path $TestDrive 'same'
        $file = New-Layout $same 'only/results.bbox.json'
    }

    It 'stops Import-Detection before any record when two files cannot be told apart, listing them and naming -Model' {
        $script:out = $null
        $e = { $script:out = Import-Detection $file, $file } | Should -Throw -ErrorId 'DuplicateModelName,BoxFusion.Commands.ImportDetectionCommand' -PassThru
        $script:out | Should -BeNullOrEmpty
        $e.Exception.Message | Should -BeLike "*$file*-Model*"
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'stops Merge-Detection -Path, Optimize-Fusion -Path and Measure-Detection -Path too' {
        { Merge-Detection -Path $file, $file } | Should -Throw -ErrorId 'DuplicateModelName,BoxFusion.Commands.MergeDetectionCommand'
        { Optimize-Fusion -GroundTruth $SampleTruth -Path $file, $file } | Should -Throw -ErrorId 'DuplicateModelName,BoxFusion.Commands.OptimizeFusionCommand'
        { Measure-Detection -GroundTruth $SampleTruth -Path $file, $file } | Should -Throw -ErrorId 'DuplicateModelName,BoxFusion.Commands.MeasureDetectionCommand'
    }

    It 'treats file names that differ only by case as one name' {
        $dir = Join-Path $TestDrive 'case'
        $files = New-Layout $dir 'Det.json', 'det.json'
        if (@(Get-ChildItem $dir).Count -lt 2) { Set-ItResult -Skipped -Because 'this file system does not tell Det.json from det.json' }
        { Get-ChildItem $dir | Import-Detection } | Should -Throw -ErrorId 'DuplicateModelName,*'
    }

    It 'treats -Model names that differ only by case as one name' {
        $files = New-Layout (Join-Path $TestDrive 'explicit') 'a.json', 'b.json'
        { Import-Detection $files -Model Det, det } | Should -Throw -ErrorId 'DuplicateModelName,*' -ExpectedMessage "*'Det'*'det'*"
        { Merge-Detection -Path $files -Model Det, det } | Should -Throw -ErrorId 'DuplicateModelName,*'
    }
}

Describe '-Model' {
    BeforeAll {
        $files = New-Layout (Join-Path $TestDrive 'm') 'one/results.bbox.json', 'two/results.bbox.json'
    }

    It 'names the models of Merge-Detection -Path' {
        ((Merge-Detection -Path $files -Model frcnn, retina).SourceModels | Sort-Object -Unique) | Should -Be 'frcnn', 'retina'
        $fused = Merge-Detection -LiteralPath $files -Model frcnn, retina -Weight @{ retina = 0 } -ConfidenceType BoxAndModelAvg
        ($fused.SourceModels | Sort-Object -Unique) | Should -Be 'frcnn'
    }

    It 'names the models of Optimize-Fusion -Path' {
        $t = Optimize-Fusion -GroundTruth (Join-Path $DataRoot 'case-a/gt.json') -Path $files -Model frcnn, retina -Method WBF -IouThreshold 0.55 -NoWeightSearch -MaxTrials 1
        $t[0].Models | Should -Be 'frcnn', 'retina'
    }

    It 'is not positional: a forgotten comma does not turn the second file into a model name' {
        { Import-Detection $files[0] $files[1] } | Should -Throw -ErrorId 'PositionalParameterNotFound,*'
    }

    It 'with one name per file, a missing file is a count mismatch, not a shifted name' {
        $missing = Join-Path $TestDrive 'nothere.json'
        { Import-Detection $files[0], $missing, $files[1] -Model a, b, c -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'ModelCountMismatch,BoxFusion.Commands.ImportDetectionCommand' -ExpectedMessage '*3 model names*2 files*'
    }

    It 'one name for all files still makes one model' {
        (Import-Detection $files -Model tta | Group-Object Model).Name | Should -Be 'tta'
    }
}

Describe 'Model identity is case-insensitive' {
    BeforeAll {
        $detections = @(Import-Detection (Join-Path $SampleFolder 'yolox.json') -Model Det) +
            @(Import-Detection (Join-Path $SampleFolder 'cascade.json') -Model det) +
            @(Import-Detection (Join-Path $SampleFolder 'detr.json') -Model detr)
    }

    It 'Merge-Detection fuses Det and det as one model' {
        $fused = $detections | Merge-Detection -MinVotes 2 -Weight @{ DET = 1; detr = 1 }
        ($fused.SourceModels | Sort-Object -Unique) | Should -Be 'Det', 'detr'
    }

    It 'Measure-Detection -GroupBy Model gives one row for Det and det' {
        ($detections | Measure-Detection -GroundTruth $SampleTruth -GroupBy Model).Name | Should -Be 'Det', 'detr'
    }

    It 'a -Weight table naming one model twice (an ordinal dictionary can) is an error, not a silent last-wins' {
        $w = [System.Collections.Generic.Dictionary[string, double]]::new()
        $w['det'] = 1
        $w['DET'] = 3
        { $detections | Merge-Detection -Weight $w } | Should -Throw -ErrorId 'InvalidWeight,*' -ExpectedMessage "*'det'*'DET'*"
    }

    It 'Optimize-Fusion sees two models, and every trial''s -Weight table names them all' {
        $trials = $detections | Optimize-Fusion -GroundTruth $SampleTruth -Method WBF -IouThreshold 0.55 -ConfidenceType BoxAndModelAvg -MaxTrials 8
        $trials[0].Models | Should -Be 'Det', 'detr'
        foreach ($t in $trials | Where-Object { $_.Parameters.Weight }) { $t.Parameters.Weight.Count | Should -Be $t.Models.Count }
    }
}

Describe '-Weight completion' {
    It 'offers the names the cmdlets will give to files that share a name' {
        $null = New-Layout (Join-Path $TestDrive 'tab') 'work_dirs/yolox/results.bbox.json', 'work_dirs/detr/results.bbox.json'
        Push-Location (Join-Path $TestDrive 'tab')
        try {
            $line = 'Merge-Detection -Path work_dirs/yolox/results.bbox.json, work_dirs/detr/results.bbox.json -Weight '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches[0].CompletionText | Should -Be '@{ yolox = 1; detr = 1 }'
        }
        finally { Pop-Location }
    }
}

Describe 'Measure-Detection without -GroupBy' {
    BeforeAll {
        $all = Import-Detection $SampleModels
    }

    It 'warns once when the input holds several models, suggesting -GroupBy Model' {
        $r = $all | Measure-Detection -GroundTruth $SampleTruth -WarningVariable w -WarningAction SilentlyContinue
        $r.Name | Should -Be '(all)'
        @($w).Count | Should -Be 1
        "$w" | Should -BeLike '*3 models*-GroupBy Model*'
        $null = Measure-Detection -GroundTruth $SampleTruth -Path $SampleModels -WarningVariable w2 -WarningAction SilentlyContinue
        @($w2).Count | Should -Be 1
    }

    It 'does not warn for one model, fused detections or -GroupBy Model' {
        $null = Import-Detection $SampleModels[0] | Measure-Detection -GroundTruth $SampleTruth -WarningVariable w1
        $null = $all | Merge-Detection | Measure-Detection -GroundTruth $SampleTruth -WarningVariable w2
        $null = $all | Measure-Detection -GroundTruth $SampleTruth -GroupBy Model -WarningVariable w3
        @($w1).Count + @($w2).Count + @($w3).Count | Should -Be 0
    }
}
